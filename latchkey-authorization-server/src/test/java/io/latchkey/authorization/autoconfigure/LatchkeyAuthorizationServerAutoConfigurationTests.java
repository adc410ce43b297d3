package io.latchkey.authorization.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.source.JWKSource;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.directory.AdminBootstrap;
import io.latchkey.authorization.directory.GroupService;
import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.notice.ExpiryNoticeSchedule;
import io.latchkey.authorization.notice.ExpiryNotifier;
import io.latchkey.authorization.notice.MailNotices;
import io.latchkey.authorization.notice.UnusedTokenRevocation;
import io.latchkey.authorization.notice.UnusedTokenSchedule;
import io.latchkey.authorization.notice.WebhookNotices;
import io.latchkey.authorization.oauth.PatEndpoints;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.redis.RedisAuditLog;
import io.latchkey.authorization.redis.RedisBuckets;
import io.latchkey.authorization.redis.RedisDirectory;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisTokenRepository;
import io.latchkey.authorization.security.LiveSessionFilter;
import io.latchkey.authorization.security.OwnSession;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.token.LastUseRecorder;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenIssuer;
import io.latchkey.authorization.token.TokenQueries;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenReuseDetected;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.token.TokenRotation;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.authorization.web.AuditController;
import io.latchkey.authorization.web.TokenController;
import io.latchkey.authorization.web.UserController;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.latchkey.dpop.ProofReplayCache;
import io.latchkey.testsupport.ContextRunners;
import io.latchkey.testsupport.RealRedis;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.mail.MailSender;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * What the dependency alone configures, with every auto-configuration on the classpath as
 * in an application, on a real Redis: each bean Latchkey defines backs off when the
 * application defines its own, and the rest still starts; conditions and property
 * binding, with the errors a wrong value gets.
 */
class LatchkeyAuthorizationServerAutoConfigurationTests {

	private final WebApplicationContextRunner runner = ApplicationRunners.onRealRedis();

	@Test
	void contextWhenNothingIsDefinedThenEveryLatchkeyBeanIsThere() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(RedisTokenRepository.class)
				.hasSingleBean(RedisDirectory.class)
				.hasSingleBean(RedisAuditLog.class)
				.hasSingleBean(ExpiryNoticeSchedule.class)
				.hasSingleBean(TokenVerifier.class)
				.hasSingleBean(TokenIssuer.class)
				.hasSingleBean(TokenRotation.class)
				.hasSingleBean(TokenRevocation.class)
				.hasSingleBean(TokenQueries.class)
				.hasSingleBean(PatEndpoints.class)
				.hasSingleBean(UserService.class)
				.hasSingleBean(GroupService.class)
				.hasSingleBean(AdminBootstrap.class)
				.hasSingleBean(TokenController.class)
				.hasSingleBean(UserController.class)
				.hasSingleBean(AuditController.class)
				.hasBean("latchkeyApiSecurityFilterChain")
				.doesNotHaveBean(WebhookNotices.class)
				.doesNotHaveBean(MailNotices.class);
		});
	}

	@Test
	void contextWhenNotAServletApplicationThenNoLatchkeyBean() {
		new ApplicationContextRunner().withUserConfiguration(ContextRunners.Application.class)
			.withPropertyValues("spring.data.redis.url=" + RealRedis.uri())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TokenVerifier.class)
				.doesNotHaveBean(TokenRepository.class));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("replaceableBeans")
	<T> void beanWhenTheApplicationDefinesItsOwnThenLatchkeysBacksOffAndTheRestStarts(Class<T> type, Supplier<T> own) {
		T bean = own.get();
		this.runner.withBean("applicationOwn", type, () -> bean).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(type).isSameAs(bean);
			assertThat(context).hasSingleBean(TokenVerifier.class).hasSingleBean(TokenController.class);
		});
	}

	static Stream<Arguments> replaceableBeans() {
		List<Arguments> beans = new ArrayList<>();
		add(beans, RedisKeys.class, () -> new RedisKeys("own-" + UUID.randomUUID()));
		add(beans, LatchkeyEventCodec.class, LatchkeyEventCodec::new);
		add(beans, TokenRepository.class, () -> mock(TokenRepository.class));
		add(beans, ExpiryNoticeSchedule.class, () -> mock(ExpiryNoticeSchedule.class));
		add(beans, AuditLog.class, () -> mock(AuditLog.class));
		add(beans, EventPublisher.class, () -> mock(EventPublisher.class));
		add(beans, AccessPolicy.class, () -> new AccessPolicy(Duration.ofMinutes(1)));
		add(beans, RightsCatalog.class, () -> new RightsCatalog(List.of()));
		add(beans, RequestValidator.class,
				() -> new RequestValidator(Validation.buildDefaultValidatorFactory().getValidator()));
		add(beans, PasswordEncoder.class, PasswordEncoderFactories::createDelegatingPasswordEncoder);
		add(beans, VerificationCache.class, () -> mock(VerificationCache.class));
		add(beans, LastUseRecorder.class, () -> mock(LastUseRecorder.class));
		add(beans, TokenVerifier.class, () -> mock(TokenVerifier.class));
		add(beans, TokenIssuer.class, () -> mock(TokenIssuer.class));
		add(beans, TokenRotation.class, () -> mock(TokenRotation.class));
		add(beans, TokenRevocation.class, () -> mock(TokenRevocation.class));
		add(beans, TokenQueries.class, () -> mock(TokenQueries.class));
		add(beans, ExpiryNotifier.class, () -> mock(ExpiryNotifier.class));
		add(beans, RedisBuckets.class, () -> mock(RedisBuckets.class));
		add(beans, LoginThrottle.class, () -> mock(LoginThrottle.class));
		add(beans, JWKSource.class, () -> mock(JWKSource.class));
		add(beans, PatEndpoints.class, () -> mock(PatEndpoints.class));
		add(beans, LiveSessionFilter.class, () -> mock(LiveSessionFilter.class));
		add(beans, OwnSession.class, () -> mock(OwnSession.class));
		add(beans, UserService.class, () -> mock(UserService.class));
		add(beans, GroupService.class, () -> mock(GroupService.class));
		add(beans, AdminBootstrap.class, () -> mock(AdminBootstrap.class));
		add(beans, ResourceServices.class, () -> new ResourceServices(List.of(), List.of()));
		return beans.stream();
	}

	private static <T> void add(List<Arguments> beans, Class<T> type, Supplier<T> own) {
		beans.add(Arguments.of(type, own));
	}

	@Test
	void directoryWhenTheApplicationKeepsItsUsersElsewhereThenLatchkeysDirectoryStepsAside() {
		OwnerDirectory own = (username) -> java.util.Optional
			.of(new OwnerState(username, username, true, java.util.Set.of(), ""));
		this.runner.withBean(OwnerDirectory.class, () -> own).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(OwnerDirectory.class).isSameAs(own);
			assertThat(context).doesNotHaveBean(RedisDirectory.class)
				.doesNotHaveBean(UserService.class)
				.doesNotHaveBean(GroupService.class)
				.doesNotHaveBean(AdminBootstrap.class)
				.doesNotHaveBean(UserController.class)
				.hasSingleBean(TokenVerifier.class);
		});
	}

	@Test
	void noticesWhenTheApplicationHasATokenStoreOfItsOwnThenNoRedisScheduleAndNoNotifier() {
		this.runner.withBean(TokenRepository.class, () -> mock(TokenRepository.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisTokenRepository.class)
				.doesNotHaveBean(ExpiryNoticeSchedule.class)
				.doesNotHaveBean(ExpiryNotifier.class)
				.hasSingleBean(TokenIssuer.class));
	}

	@Test
	void apiSecurityWhenTheApplicationDefinesTheChainByNameThenItsOwnIsUsed() {
		SecurityFilterChain own = mock(SecurityFilterChain.class);
		this.runner.withBean("latchkeyApiSecurityFilterChain", SecurityFilterChain.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean("latchkeyApiSecurityFilterChain")
				.isSameAs(own));
	}

	@Test
	void auditControllerWhenTheAuditLogCannotBeReadBackThenNoAuditEndpoint() {
		this.runner.withBean(AuditLog.class, () -> mock(AuditLog.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AuditController.class));
	}

	@Test
	void reuseDetectionWhenTheVerifierAnnouncesItThenTheRevocationServiceRecordsIt() {
		AuditLog audit = mock(AuditLog.class);
		this.runner.withBean(AuditLog.class, () -> audit).run((context) -> {
			PersonalAccessToken token = PersonalAccessToken.builder()
				.id("reused")
				.digest("digest-of-reused", "lkp_…used")
				.owner("alice", "uid-alice")
				.created(java.time.Instant.now(), "alice")
				.expiresAt(java.time.Instant.now().plus(Duration.ofDays(1)))
				.build();
			context.publishEvent(new TokenReuseDetected(token, "192.0.2.1"));
			verify(audit).record(eq("token.reuse_detected"), eq("system"), eq("owner"), eq("alice"), eq("token_id"),
					eq("reused"), eq("family"), eq("reused"), eq("from"), eq("192.0.2.1"), eq("action"), eq("alert"));
		});
	}

	@Test
	void webhookWhenAUrlIsSetWithoutASecretThenStartupFailsNamingTheSecret() {
		this.runner.withPropertyValues("latchkey.notices.webhook.url=http://127.0.0.1:9/hook")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("latchkey.notices.webhook.secret"));
	}

	@Test
	void webhookWhenAUrlAndASecretAreSetThenNoticesGoThere() {
		this.runner
			.withPropertyValues("latchkey.notices.webhook.url=http://127.0.0.1:9/hook",
					"latchkey.notices.webhook.secret=runner-webhook-secret")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(WebhookNotices.class));
	}

	@Test
	void unusedTokensWhenRevokeUnusedAfterIsUnsetThenNothingRevokesThem() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(UnusedTokenSchedule.class)
				.doesNotHaveBean(UnusedTokenRevocation.class);
			assertThat(context.getBean(ExpiryNotifier.class).isAutoStartup()).as("no channel, nothing to revoke")
				.isFalse();
		});
	}

	@Test
	void unusedTokensWhenRevokeUnusedAfterIsSetThenTheNoticeScheduleRevokesThemEvenWithoutChannels() {
		this.runner.withPropertyValues("latchkey.tokens.revoke-unused-after=90d").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(UnusedTokenRevocation.class);
			assertThat(context.getBean(ExpiryNotifier.class).isAutoStartup()).isTrue();
		});
	}

	@Test
	void unusedTokensWhenRevokeUnusedAfterIsNotPositiveThenStartupFailsNamingTheProperty() {
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.tokens.revoke-unused-after=0s",
				"latchkey.tokens.revoke-unused-after");
	}

	@Test
	void mailNoticesWhenTheApplicationHasAMailSenderThenNoticesGoByMail() {
		this.runner.withBean(MailSender.class, () -> mock(MailSender.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(MailNotices.class));
	}

	@Test
	void propertiesWhenBoundThenTheBeansUseThem() {
		this.runner.withPropertyValues("latchkey.tokens.default-lifetime=7d", "latchkey.tokens.prefix=acme")
			.run((context) -> {
				LatchkeyProperties properties = context.getBean(LatchkeyProperties.class);
				assertThat(properties.tokens().defaultLifetime()).isEqualTo(Duration.ofDays(7));
				assertThat(context.getBean(TokenVerifier.class).isOurs("acme_x")).isTrue();
				assertThat(context.getBean(TokenVerifier.class).isOurs("lkp_x")).isFalse();
			});
	}

	@Test
	void propertiesWhenAValueIsInvalidThenStartupFailsNamingTheProperty() {
		// validation errors name the field of the bound record ("on field
		// 'tokens.prefix'")
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.tokens.prefix=Not-A-Prefix", "'tokens.prefix'");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.introspection.cache-max-size=0",
				"'introspection.cacheMaxSize'");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.tokens.max-per-user=-1", "'tokens.maxPerUser'");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.http.trusted-proxies=not-an-address",
				"latchkey.http.trusted-proxies");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.tokens.rotated-reuse=forgive",
				"latchkey.tokens.rotated-reuse");
	}

	@Test
	void proofReplaysWhenTheApplicationDefinesItsOwnCacheByNameThenItIsUsed() {
		Cache own = new ConcurrentMapCache("own-proofs");
		this.runner.withBean(OAuthEndpointsConfiguration.PROOF_REPLAYS, Cache.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(OAuthEndpointsConfiguration.PROOF_REPLAYS)
				.isSameAs(own));
	}

	@Test
	void proofReplaysWhenNothingIsDefinedThenKeptInRedisForEveryInstance() {
		this.runner.run((context) -> assertThat(context).getBean(OAuthEndpointsConfiguration.PROOF_REPLAYS)
			.isInstanceOf(ProofReplayCache.class));
	}

	@Test
	void audiencesWhenTheyNameAServiceThatIsNotAnIntrospectingClientThenStartupFailsNamingTheProperty() {
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.tokens.default-audience=billing",
				"latchkey.tokens.default-audience");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.resource-services.billing.name=Billing",
				"latchkey.resource-services.billing");
		ContextRunners.assertStartupFailsNaming(this.runner, "latchkey.introspection.allowed-clients=latchkey-api",
				"latchkey.introspection.allowed-clients");
	}

	@Test
	void audiencesWhenDescribedThenTheServicesCarryTheirNamesAndResources() {
		this.runner
			.withPropertyValues("latchkey.introspection.allowed-clients=resource-api,orders",
					"latchkey.resource-services.orders.name=Orders",
					"latchkey.resource-services.orders.resource=https://orders.example",
					"latchkey.tokens.default-audience=orders")
			.run((context) -> {
				ResourceServices services = context.getBean(ResourceServices.class);
				assertThat(services.all()).extracting(ResourceServices.Service::clientId)
					.containsExactly("orders", "resource-api", ResourceServices.MANAGEMENT_API);
				assertThat(services.byResource("https://orders.example")).get()
					.extracting(ResourceServices.Service::name)
					.isEqualTo("Orders");
				assertThat(services.defaultAudience()).containsExactly("orders");
			});
	}

}
