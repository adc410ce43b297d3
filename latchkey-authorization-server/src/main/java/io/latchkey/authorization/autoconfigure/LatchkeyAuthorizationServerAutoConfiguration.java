package io.latchkey.authorization.autoconfigure;

import java.text.ParseException;
import java.time.Clock;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.AuditTrail;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.notice.ExpiryNotifier;
import io.latchkey.authorization.notice.MailNotices;
import io.latchkey.authorization.notice.NoticeChannel;
import io.latchkey.authorization.notice.WebhookNotices;
import io.latchkey.authorization.oauth.IntrospectingClients;
import io.latchkey.authorization.oauth.PatEndpoints;
import io.latchkey.authorization.oauth.VerifiedSecretCache;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.redis.RedisAuditLog;
import io.latchkey.authorization.redis.RedisBuckets;
import io.latchkey.authorization.redis.RedisDirectory;
import io.latchkey.authorization.redis.RedisEventPublisher;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisSigningKeys;
import io.latchkey.authorization.redis.RedisTokenRepository;
import io.latchkey.authorization.redis.ReplicaAcknowledgement;
import io.latchkey.authorization.redis.VerificationCacheListener;
import io.latchkey.authorization.security.Actors;
import io.latchkey.authorization.security.LiveSessionFilter;
import io.latchkey.authorization.security.OwnSession;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.token.LastUseRecorder;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenService;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.token.VerificationCache;
import io.latchkey.authorization.web.AuditController;
import io.latchkey.authorization.web.MeController;
import io.latchkey.authorization.web.ProblemAdvice;
import io.latchkey.authorization.web.RequestBodyLimitFilter;
import io.latchkey.authorization.web.StorageOutageFilter;
import io.latchkey.authorization.web.TokenController;
import io.latchkey.authorization.web.TokenInUrlFilter;
import io.latchkey.core.TokenFormat;
import io.latchkey.core.TrustedProxies;
import io.latchkey.core.servlet.ClientAddressFilter;
import io.latchkey.core.event.LatchkeyEventCodec;
import io.lettuce.core.ClientOptions;
import jakarta.validation.Validator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.mail.MailSender;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.FixedBackOff;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Personal access tokens for a Spring Authorization Server, from the dependency alone: token
 * storage, owners and users in Redis (from {@code spring.data.redis.*}), the token lifecycle and
 * the hot verification path, events and audit, guessing throttled, and the management API
 * {@code /api/**}. Every bean backs off when the application defines its own. An application
 * that keeps its users elsewhere declares an {@link OwnerDirectory}; Latchkey's own directory
 * (and its users and groups API) then steps aside.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		afterName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration",
		before = { OAuth2AuthorizationServerAutoConfiguration.class, OAuth2AuthorizationServerJwtAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(LatchkeyProperties.class)
@Import({ TokenController.class, MeController.class, ProblemAdvice.class })
public final class LatchkeyAuthorizationServerAutoConfiguration {

	private static final Log logger = LogFactory.getLog(LatchkeyAuthorizationServerAutoConfiguration.class);

	/** Fail fast while Redis is away: requests get their 503 at once; reconnection goes on behind. */
	@Bean
	LettuceClientOptionsBuilderCustomizer latchkeyRejectCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisKeys latchkeyRedisKeys(LatchkeyProperties properties) {
		return new RedisKeys(properties.redis().keyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	LatchkeyEventCodec latchkeyEventCodec() {
		return new LatchkeyEventCodec();
	}

	@Bean
	@ConditionalOnMissingBean
	TokenRepository latchkeyTokenRepository(StringRedisTemplate redis, RedisKeys keys, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		RedisTokenRepository tokens = new RedisTokenRepository(redis, keys);
		tokens.setClock(clock(clock));
		tokens.setFirstNoticeLead(ExpiryNotifier.firstNoticeLead(properties.notices().stages()));
		tokens.setReplicaAcknowledgement(replicaAcknowledgement(properties));
		return tokens;
	}

	static ReplicaAcknowledgement replicaAcknowledgement(LatchkeyProperties properties) {
		return new ReplicaAcknowledgement(properties.redis().waitReplicas(), properties.redis().waitTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(OwnerDirectory.class)
	RedisDirectory latchkeyDirectory(StringRedisTemplate redis, RedisKeys keys, LatchkeyProperties properties) {
		RedisDirectory directory = new RedisDirectory(redis, keys);
		directory.setReplicaAcknowledgement(replicaAcknowledgement(properties));
		return directory;
	}

	@Bean
	@ConditionalOnMissingBean
	VerificationCache latchkeyVerificationCache(LatchkeyProperties properties, ObjectProvider<Clock> clock) {
		return new VerificationCache(properties.introspection().cacheMaxSize(), properties.introspection().cacheMaxAge(),
				clock(clock));
	}

	/**
	 * Events go to this instance's verification cache first (so that a revocation is effective
	 * here before it is answered), then to every other instance and resource service.
	 */
	@Bean
	@ConditionalOnMissingBean
	EventPublisher latchkeyEventPublisher(StringRedisTemplate redis, LatchkeyEventCodec codec,
			LatchkeyProperties properties, VerificationCache cache) {
		RedisEventPublisher everywhere = new RedisEventPublisher(redis, codec, properties.redis().eventsChannel());
		return (event) -> {
			cache.apply(event);
			everywhere.publish(event);
		};
	}

	/** Every instance listens to the events, including its own, and drops what they make stale. */
	@Bean
	@ConditionalOnMissingBean(name = "latchkeyEventSubscription")
	RedisMessageListenerContainer latchkeyEventSubscription(RedisConnectionFactory connections,
			LatchkeyEventCodec codec, VerificationCache cache, LatchkeyProperties properties) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.setRecoveryBackoff(new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS));
		VerificationCacheListener listener = new VerificationCacheListener(cache, codec);
		container.addMessageListener(listener, new ChannelTopic(properties.redis().eventsChannel()));
		if (connections instanceof LettuceConnectionFactory lettuce) {
			listener.watch(lettuce.getRequiredNativeClient());
		}
		return container;
	}

	@Bean
	@ConditionalOnMissingBean(AuditLog.class)
	RedisAuditLog latchkeyAuditLog(StringRedisTemplate redis, RedisKeys keys, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		return new RedisAuditLog(redis, keys, properties.redis().auditMaxLength(),
				properties.redis().attemptsMaxLength(), properties.throttle().window(), clock(clock));
	}

	/** Who may do what: the one policy every door asks. */
	@Bean
	@ConditionalOnMissingBean
	AccessPolicy latchkeyAccessPolicy(LatchkeyProperties properties, ObjectProvider<Clock> clock) {
		AccessPolicy policy = new AccessPolicy(properties.portal().reauthenticateAfter());
		policy.setClock(clock(clock));
		return policy;
	}

	/** {@code GET /api/audit}, where the audit log can be read back (Latchkey's own can). */
	@Bean
	@ConditionalOnBean(AuditTrail.class)
	AuditController latchkeyAuditController(AuditTrail audit, JsonMapper json) {
		return new AuditController(audit, json);
	}

	@Bean
	@ConditionalOnMissingBean
	RightsCatalog latchkeyRightsCatalog(LatchkeyProperties properties) {
		return new RightsCatalog(properties.rights());
	}

	@Bean
	@ConditionalOnMissingBean
	RequestValidator latchkeyRequestValidator(Validator validator) {
		return new RequestValidator(validator);
	}

	@Bean
	@ConditionalOnMissingBean
	LastUseRecorder latchkeyLastUseRecorder(TokenRepository tokens, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		return new LastUseRecorder(tokens, properties.tokens().lastUsedInterval(),
				properties.tokens().lastUsedBatchEvery(), clock(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	TokenVerifier latchkeyTokenVerifier(TokenRepository tokens, OwnerDirectory owners, LatchkeyProperties properties,
			VerificationCache cache, LastUseRecorder lastUses, ObjectProvider<Clock> clock) {
		TokenVerifier verifier = new TokenVerifier(new TokenFormat(properties.tokens().prefix()), tokens, owners,
				properties.tokens());
		verifier.setClock(clock(clock));
		verifier.setLastUseRecorder(lastUses);
		if (properties.introspection().cacheEnabled()) {
			verifier.setCache(cache, owners instanceof RedisDirectory);
		}
		return verifier;
	}

	@Bean
	@ConditionalOnMissingBean
	TokenService latchkeyTokenService(TokenRepository tokens, OwnerDirectory owners, RightsCatalog catalog,
			LatchkeyProperties properties, AccessPolicy access, AuditLog audit, EventPublisher events,
			RequestValidator validator, TokenVerifier verifier, ObjectProvider<Clock> clock) {
		TokenService service = new TokenService(tokens, owners, catalog, properties.tokens(), access, audit, events,
				validator);
		service.setClock(clock(clock));
		verifier.setReuseDetected(service::reuseDetected);
		return service;
	}

	/** Expiry notices, on whichever channels are configured (e-mail, webhook); idle without any. */
	@Bean
	@ConditionalOnMissingBean
	ExpiryNotifier latchkeyExpiryNotifier(TokenRepository tokens, OwnerDirectory owners,
			ObjectProvider<NoticeChannel> channels, LatchkeyProperties properties, AuditLog audit,
			ObjectProvider<Clock> clock) {
		LatchkeyProperties.Notices notices = properties.notices();
		return new ExpiryNotifier(tokens, owners, channels.orderedStream().toList(), notices.stages(),
				notices.checkEvery(), notices.retryAfter(), audit, clock(clock));
	}

	@Bean
	@ConditionalOnMissingBean(name = "latchkeyWebhookNotices")
	@ConditionalOnProperty(prefix = "latchkey.notices.webhook", name = "url")
	WebhookNotices latchkeyWebhookNotices(LatchkeyProperties properties, ObjectProvider<Clock> clock) {
		LatchkeyProperties.Webhook webhook = properties.notices().webhook();
		Assert.state(webhook.url() != null && StringUtils.hasText(webhook.secret()),
				"latchkey.notices.webhook.secret is required with latchkey.notices.webhook.url: receivers check "
						+ "the signature with it");
		return new WebhookNotices(webhook.url(), webhook.secret(), webhook.maxAttempts(), webhook.backoff(),
				clock(clock));
	}

	/** Expiry notices by e-mail, where Spring Boot's {@code spring.mail.*} configured a sender. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MailSender.class)
	static class MailNoticesConfiguration {

		@Bean
		@ConditionalOnBean(MailSender.class)
		@ConditionalOnMissingBean(name = "latchkeyMailNotices")
		MailNotices latchkeyMailNotices(MailSender mail, LatchkeyProperties properties) {
			return new MailNotices(mail, properties.notices().mailFrom(), properties.notices().portalUrl());
		}

	}

	@Bean
	@ConditionalOnMissingBean
	RedisBuckets latchkeyThrottleBuckets(LettuceConnectionFactory connections, ObjectProvider<Clock> clock) {
		return new RedisBuckets(connections, clock(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	LoginThrottle latchkeyLoginThrottle(RedisBuckets buckets, LatchkeyProperties properties, RedisKeys keys) {
		return new LoginThrottle(buckets::proxyManager, properties.throttle(), keys.throttle(""));
	}

	@Bean
	@ConditionalOnMissingBean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	@ConditionalOnMissingBean
	LiveSessionFilter latchkeyLiveSessionFilter(OwnerDirectory owners, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		return new LiveSessionFilter(owners, properties.portal().sessionMaxAge(), clock(clock));
	}

	/** The filter runs inside the security chains only, never on its own. */
	@Bean
	FilterRegistrationBean<LiveSessionFilter> latchkeyLiveSessionFilterRegistration(LiveSessionFilter filter) {
		FilterRegistrationBean<LiveSessionFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	OwnSession latchkeyOwnSession(OwnerDirectory owners) {
		return new OwnSession(owners);
	}

	/**
	 * The keys this server signs JWTs with (exchanged PATs, and Spring Authorization Server's
	 * own, whose stock key would differ per instance and per restart): from
	 * {@code latchkey.exchange.jwk-set}, or generated once and kept in Redis.
	 */
	@Bean
	@ConditionalOnMissingBean
	JWKSource<SecurityContext> latchkeyJwkSource(LatchkeyProperties properties, StringRedisTemplate redis,
			RedisKeys keys) throws ParseException {
		String configured = properties.exchange().jwkSet();
		return StringUtils.hasText(configured) ? new ImmutableJWKSet<>(JWKSet.parse(configured))
				: new RedisSigningKeys(redis, keys);
	}

	@Bean
	@ConditionalOnMissingBean
	PatEndpoints latchkeyPatEndpoints(TokenVerifier verifier, TokenService tokens, LatchkeyProperties properties,
			PasswordEncoder passwordEncoder, ObjectProvider<RegisteredClientRepository> registeredClients,
			LoginThrottle throttle, AuditLog audit, JWKSource<SecurityContext> signingKeys,
			ObjectProvider<Clock> clock) {
		PatEndpoints endpoints = new PatEndpoints(verifier, tokens,
				new IntrospectingClients(properties.introspection().allowedClients()),
				new VerifiedSecretCache(passwordEncoder, properties.introspection().clientSecretCacheTtl()),
				registeredClients::getObject, throttle, audit);
		endpoints.setTokenExchange(properties.exchange().allowedClients(), properties.exchange().maxTimeToLive(),
				new NimbusJwtEncoder(signingKeys), clock(clock));
		return endpoints;
	}

	/**
	 * The client's address, first of all: the peer, or behind a trusted proxy the client it
	 * forwards for; every other filter, throttling and the audit trail see that one.
	 */
	@Bean
	FilterRegistrationBean<ClientAddressFilter> latchkeyClientAddressFilter(LatchkeyProperties properties,
			Environment environment) {
		TrustedProxies proxies = trustedProxies(properties.http().trustedProxies(), "latchkey.http.trusted-proxies");
		warnOfForwardedHeaderStrategies(environment);
		FilterRegistrationBean<ClientAddressFilter> registration = new FilterRegistrationBean<>(
				new ClientAddressFilter(proxies));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<StorageOutageFilter> latchkeyStorageOutageFilter() {
		FilterRegistrationBean<StorageOutageFilter> registration = new FilterRegistrationBean<>(
				new StorageOutageFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	@Bean
	FilterRegistrationBean<TokenInUrlFilter> latchkeyTokenInUrlFilter(LatchkeyProperties properties) {
		FilterRegistrationBean<TokenInUrlFilter> registration = new FilterRegistrationBean<>(
				new TokenInUrlFilter(properties.tokens().prefix()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> latchkeyRequestBodyLimitFilter(LatchkeyProperties properties) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.http().maxBodySize().toBytes()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		return registration;
	}

	/** The trusted proxies of {@code property}, or a start-up error naming it. */
	static TrustedProxies trustedProxies(List<String> ranges, String property) {
		try {
			return TrustedProxies.of(ranges);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property + ": " + ex.getMessage(), ex);
		}
	}

	/** Spring Boot's forwarded-header strategies trust anyone's forwarded headers: say so. */
	static void warnOfForwardedHeaderStrategies(Environment environment) {
		String strategy = environment.getProperty("server.forward-headers-strategy", "none");
		if (!"none".equalsIgnoreCase(strategy)) {
			logger.warn("server.forward-headers-strategy=" + strategy + " trusts the forwarded headers of any client "
					+ "(framework) or of Tomcat's internal-proxies (native) for the remote address; Latchkey reads "
					+ "client addresses from latchkey.http.trusted-proxies only and hides Forwarded and "
					+ "X-Forwarded-For from the rest of the request");
		}
	}

	/** Controllers take an {@code Actor} parameter: who is asking, with the rights of this request. */
	@Bean
	WebMvcConfigurer latchkeyActorArguments() {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new Actors());
			}
		};
	}

	static Clock clock(ObjectProvider<Clock> clock) {
		return clock.getIfAvailable(Clock::systemUTC);
	}

}
