package io.latchkey.authorization.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.notice.ExpiryNoticeSchedule;
import io.latchkey.authorization.notice.ExpiryNotifier;
import io.latchkey.authorization.notice.MailNotices;
import io.latchkey.authorization.notice.NewAddressAlerts;
import io.latchkey.authorization.notice.NewAddressClaims;
import io.latchkey.authorization.notice.NoticeChannel;
import io.latchkey.authorization.notice.UnusedTokenRevocation;
import io.latchkey.authorization.notice.UnusedTokenSchedule;
import io.latchkey.authorization.notice.WebhookNotices;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenRevocation;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailSender;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Expiry and new-address notices, on whichever channels are configured (e-mail, webhook);
 * idle without any. With {@code latchkey.tokens.revoke-unused-after}, the same schedule
 * revokes unused tokens (with or without channels) and tells their owners before.
 */
@Configuration(proxyBeanMethods = false)
class NoticesConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ExpiryNoticeSchedule.class)
	ExpiryNotifier latchkeyExpiryNotifier(TokenRepository tokens, ExpiryNoticeSchedule schedule, OwnerDirectory owners,
			ObjectProvider<NoticeChannel> channels, LatchkeyProperties properties, AuditLog audit,
			ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> meters,
			ObjectProvider<UnusedTokenRevocation> unused) {
		LatchkeyProperties.Notices notices = properties.notices();
		ExpiryNotifier notifier = new ExpiryNotifier(tokens, schedule, owners, channels.orderedStream().toList(),
				notices.stages(), notices.checkEvery(), notices.retryAfter(), audit);
		notifier.setClock(Clocks.of(clock));
		meters.ifAvailable(notifier::setMeterRegistry);
		notifier.setUnusedTokenRevocation(unused.getIfAvailable());
		return notifier;
	}

	/**
	 * Every use from a new address audited; owners told only with
	 * {@code latchkey.notices.new-address}, once a day per token and network.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(NewAddressClaims.class)
	NewAddressAlerts latchkeyNewAddressAlerts(AuditLog audit, OwnerDirectory owners,
			ObjectProvider<NoticeChannel> channels, NewAddressClaims claims, LatchkeyProperties properties,
			ObjectProvider<Clock> clock) {
		NewAddressAlerts alerts = new NewAddressAlerts(audit, owners, channels.orderedStream().toList(), claims,
				properties.notices().newAddress(), Duration.ofDays(1));
		alerts.setClock(Clocks.of(clock));
		return alerts;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(UnusedTokenSchedule.class)
	@ConditionalOnProperty(prefix = "latchkey.tokens", name = "revoke-unused-after")
	UnusedTokenRevocation latchkeyUnusedTokenRevocation(UnusedTokenSchedule schedule, TokenRepository tokens,
			OwnerDirectory owners, TokenRevocation revocation, ObjectProvider<NoticeChannel> channels,
			LatchkeyProperties properties, AuditLog audit, ObjectProvider<Clock> clock) {
		Duration after = properties.tokens().revokeUnusedAfter();
		Assert.state(after != null && after.isPositive(), "latchkey.tokens.revoke-unused-after must be positive");
		LatchkeyProperties.Notices notices = properties.notices();
		UnusedTokenRevocation unused = new UnusedTokenRevocation(schedule, tokens, owners, revocation,
				channels.orderedStream().toList(), after, notices.unusedStages(), notices.retryAfter(), audit);
		unused.setClock(Clocks.of(clock));
		return unused;
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
				Clocks.of(clock));
	}

	/**
	 * Expiry notices by e-mail, where Spring Boot's {@code spring.mail.*} configured a
	 * sender.
	 */
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

}
