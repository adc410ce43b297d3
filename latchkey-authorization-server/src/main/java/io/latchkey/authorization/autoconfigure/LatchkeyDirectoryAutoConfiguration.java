package io.latchkey.authorization.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.directory.AdminBootstrap;
import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.directory.GroupService;
import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.event.EventPublisher;
import io.latchkey.authorization.security.DirectoryUserDetailsService;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenInventory;
import io.latchkey.authorization.token.TokenRepository;
import io.latchkey.authorization.token.TokenRevocation;
import io.latchkey.authorization.web.TokenInventoryController;
import io.latchkey.authorization.web.UserController;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Latchkey's own directory of users and groups, when it is the owner directory: user and
 * group management (the services, {@code /api/users}, {@code /api/groups},
 * {@code /api/rights}), password sign-in against it, the first administrator on an empty
 * directory, and the credentials inventory ({@code /api/tokens}), which lists the
 * directory's users.
 */
@AutoConfiguration(after = LatchkeyAuthorizationServerAutoConfiguration.class)
@ConditionalOnBean(Directory.class)
@Import({ UserController.class, TokenInventoryController.class })
public final class LatchkeyDirectoryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UserService latchkeyUserService(Directory directory, PasswordEncoder passwordEncoder, AuditLog audit,
			EventPublisher events, ApplicationEventPublisher application, RequestValidator validator,
			AccessPolicy policy, RightsCatalog catalog, ObjectProvider<Clock> clock) {
		UserService users = new UserService(directory, passwordEncoder, audit, events, application, validator, policy,
				catalog);
		users.setClock(Clocks.of(clock));
		return users;
	}

	@Bean
	@ConditionalOnMissingBean
	GroupService latchkeyGroupService(Directory directory, UserService users, RightsCatalog catalog, AuditLog audit,
			EventPublisher events, RequestValidator validator, AccessPolicy policy, ObjectProvider<Clock> clock) {
		GroupService groups = new GroupService(directory, users, catalog, audit, events, validator, policy);
		groups.setClock(Clocks.of(clock));
		return groups;
	}

	@Bean
	@ConditionalOnMissingBean
	TokenInventory latchkeyTokenInventory(TokenRepository tokens, UserService users, AccessPolicy policy,
			TokenRevocation revocation, AuditLog audit, ResourceServices services, ObjectProvider<Clock> clock) {
		TokenInventory inventory = new TokenInventory(tokens, users::accounts, policy, revocation, audit, services);
		inventory.setClock(Clocks.of(clock));
		return inventory;
	}

	@Bean
	@ConditionalOnMissingBean(UserDetailsService.class)
	DirectoryUserDetailsService latchkeyUserDetailsService(Directory directory, ObjectProvider<Clock> clock) {
		return new DirectoryUserDetailsService(directory, Clocks.of(clock));
	}

	@Bean
	@ConditionalOnMissingBean
	AdminBootstrap latchkeyAdminBootstrap(Directory directory, UserService users, GroupService groups,
			RightsCatalog catalog, LatchkeyProperties properties) {
		LatchkeyProperties.Admin admin = properties.admin();
		return new AdminBootstrap(directory, users, groups, catalog, admin.username(), admin.password(), admin.group(),
				Path.of(admin.generatedPasswordFile()));
	}

}
