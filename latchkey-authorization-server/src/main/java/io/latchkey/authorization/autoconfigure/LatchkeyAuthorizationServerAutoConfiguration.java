package io.latchkey.authorization.autoconfigure;

import io.latchkey.authorization.owner.OwnerDirectory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Personal access tokens for a Spring Authorization Server, from the dependency alone:
 * token storage, owners and users in Redis (from {@code spring.data.redis.*}), the token
 * lifecycle and the hot verification path, events and audit, guessing throttled, the
 * management API {@code /api/**}, leak reports from anyone and from GitHub's secret
 * scanning, and an OpenID Shared Signals transmitter for the receivers allowed one. Every
 * bean backs off when the application defines its own. An application that keeps its
 * users elsewhere declares an {@link OwnerDirectory}; Latchkey's own directory (and its
 * users and groups API) then steps aside.
 *
 * @since 0.1
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		afterName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration",
		before = { OAuth2AuthorizationServerAutoConfiguration.class,
				OAuth2AuthorizationServerJwtAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(LatchkeyProperties.class)
@Import({ StorageConfiguration.class, AccessConfiguration.class, VerificationConfiguration.class,
		TokenLifecycleConfiguration.class, ApprovalConfiguration.class, NoticesConfiguration.class,
		ThrottleConfiguration.class, SigningKeysConfiguration.class, OAuthEndpointsConfiguration.class,
		WebConfiguration.class, LeakReportsConfiguration.class, SignalsConfiguration.class })
public final class LatchkeyAuthorizationServerAutoConfiguration {

}
