package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.approval.TokenApprovals;
import io.latchkey.authorization.approval.TokenRequestNotices;
import io.latchkey.authorization.approval.TokenRequestStore;
import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.notice.NoticeChannel;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.redis.RedisKeys;
import io.latchkey.authorization.redis.RedisTokenRequestStore;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.token.TokenIssuer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Token requests that need approval ({@code latchkey.tokens.approval.*}): kept in Redis,
 * told on the notice channels; idle while nothing needs approval.
 */
@Configuration(proxyBeanMethods = false)
class ApprovalConfiguration {

	@Bean
	@ConditionalOnMissingBean(TokenRequestStore.class)
	RedisTokenRequestStore latchkeyTokenRequestStore(StringRedisTemplate redis, RedisKeys keys) {
		return new RedisTokenRequestStore(redis, keys);
	}

	@Bean
	@ConditionalOnMissingBean
	TokenRequestNotices latchkeyTokenRequestNotices(ObjectProvider<NoticeChannel> channels, OwnerDirectory owners,
			AccessPolicy access, AuditLog audit, ObjectProvider<Directory> directory) {
		TokenRequestNotices notices = new TokenRequestNotices(channels.orderedStream().toList(), owners, access, audit);
		directory.ifAvailable(notices::setDirectory);
		return notices;
	}

	@Bean
	@ConditionalOnMissingBean
	TokenApprovals latchkeyTokenApprovals(TokenRequestStore requests, TokenIssuer issuer, OwnerDirectory owners,
			AccessPolicy access, AuditLog audit, RequestValidator validator, LatchkeyProperties properties,
			TokenRequestNotices notices, ObjectProvider<Clock> clock) {
		TokenApprovals approvals = new TokenApprovals(requests, issuer, owners, access, audit, validator,
				properties.tokens().approval(), notices);
		approvals.setClock(Clocks.of(clock));
		return approvals;
	}

}
