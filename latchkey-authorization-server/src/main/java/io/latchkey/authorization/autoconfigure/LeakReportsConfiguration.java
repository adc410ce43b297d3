package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.leak.CredentialRevocationController;
import io.latchkey.authorization.leak.GitHubKeys;
import io.latchkey.authorization.leak.GitHubSecretScanningController;
import io.latchkey.authorization.leak.LeakReportQueue;
import io.latchkey.authorization.leak.LeakReports;
import io.latchkey.authorization.notice.LeakNotifier;
import io.latchkey.authorization.notice.NoticeChannel;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.redis.RedisBuckets;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.throttle.AddressRate;
import io.latchkey.authorization.token.TokenRevocation;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.client.RestClient;

/**
 * Leaked tokens reported from outside: the public report endpoint (unless
 * {@code latchkey.leak-reports.enabled=false}), GitHub's secret-scanning endpoint (once
 * its keys or their URL are configured), the queue that works them, and the notices to
 * owners on the same channels as expiry notices.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ LatchkeyLeakReportsProperties.class, LatchkeySecretScanningProperties.class })
class LeakReportsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LeakNotifier latchkeyLeakNotifier(OwnerDirectory owners, ObjectProvider<NoticeChannel> channels, AuditLog audit,
			ObjectProvider<Clock> clock) {
		LeakNotifier notifier = new LeakNotifier(owners, channels.orderedStream().toList(), audit);
		notifier.setClock(Clocks.of(clock));
		return notifier;
	}

	@Bean
	@ConditionalOnMissingBean
	LeakReportQueue latchkeyLeakReportQueue(LatchkeyLeakReportsProperties properties) {
		return new LeakReportQueue(properties.queueCapacity());
	}

	@Bean
	@ConditionalOnMissingBean
	LeakReports latchkeyLeakReports(TokenRevocation revocation, LeakNotifier notifier, LeakReportQueue queue,
			LatchkeyLeakReportsProperties properties) {
		return new LeakReports(revocation, notifier, queue,
				new LeakReportQueue(properties.queueCapacity(), "latchkey-leak-notices"));
	}

	@Bean
	@ConditionalOnProperty(prefix = "latchkey.leak-reports", name = "enabled", matchIfMissing = true)
	CredentialRevocationController latchkeyCredentialRevocationController(LeakReports reports, RedisBuckets buckets,
			RedisKeys keys, LatchkeyLeakReportsProperties properties, ObjectProvider<MeterRegistry> meters) {
		AddressRate rate = new AddressRate(buckets::proxyManager, keys.throttle(""), "report",
				properties.requestsPerAddress(), properties.window());
		meters.ifAvailable(rate::setMeterRegistry);
		return new CredentialRevocationController(reports, rate);
	}

	/**
	 * GitHub's secret-scanning endpoint, once
	 * {@code latchkey.secret-scanning.github.keys} or {@code keys-url} is set.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnGitHubKeys.class)
	static class GitHubSecretScanningConfiguration {

		@Bean
		@ConditionalOnMissingBean
		GitHubKeys latchkeyGitHubKeys(LatchkeySecretScanningProperties properties, ObjectProvider<Clock> clock,
				ObjectProvider<RestClient.Builder> client) {
			LatchkeySecretScanningProperties.GitHub github = properties.github();
			try {
				return new GitHubKeys(github.keys(), github.keysUrl(), github.keysRefreshEvery(),
						github.keysRefetchAfter(), Clocks.of(clock), client.getIfAvailable(RestClient::builder));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("latchkey.secret-scanning.github.keys." + ex.getMessage(), ex);
			}
		}

		@Bean
		GitHubSecretScanningController latchkeyGitHubSecretScanningController(GitHubKeys keys, LeakReports reports,
				LatchkeySecretScanningProperties properties) {
			return new GitHubSecretScanningController(keys, reports, properties.github().tokenType());
		}

	}

	/** Keys, or the URL to fetch them from, are configured for GitHub. */
	static class OnGitHubKeys implements Condition {

		private static final String PREFIX = "latchkey.secret-scanning.github.";

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			return binder.bind(PREFIX + "keys-url", Bindable.of(String.class))
				.map((url) -> !url.isBlank())
				.orElse(false)
					|| binder.bind(PREFIX + "keys", Bindable.mapOf(String.class, String.class))
						.map((keys) -> !keys.isEmpty())
						.orElse(false);
		}

	}

}
