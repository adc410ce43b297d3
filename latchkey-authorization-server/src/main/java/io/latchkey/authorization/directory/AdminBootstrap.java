package io.latchkey.authorization.directory;

import java.security.SecureRandom;
import java.util.Set;

import io.latchkey.authorization.access.RightsCatalog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.util.StringUtils;

/**
 * On first start with an empty store: an administrators group with every right and an admin
 * user in it. The password comes from {@code LATCHKEY_ADMIN_PASSWORD}, or is generated and
 * printed once (the only secret this application ever logs, by design).
 */
public final class AdminBootstrap implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(AdminBootstrap.class);

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

	private final Directory directory;

	private final UserService users;

	private final GroupService groups;

	private final RightsCatalog catalog;

	private final String username;

	private final @Nullable String password;

	private final String group;

	public AdminBootstrap(Directory directory, UserService users, GroupService groups, RightsCatalog catalog,
			String username, @Nullable String password, String group) {
		this.directory = directory;
		this.users = users;
		this.groups = groups;
		this.catalog = catalog;
		this.username = username;
		this.password = password;
		this.group = group;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.directory.isEmpty()) {
			return;
		}
		this.groups.createIfAbsent(this.group, this.catalog.names());
		boolean generated = !StringUtils.hasText(this.password);
		String password = generated ? generatePassword() : this.password;
		if (!this.users.createIfAbsent(this.username, "Administrator", password, Set.of(this.group))) {
			return;
		}
		if (generated) {
			logger.warn("Created the first administrator '" + this.username + "' with generated password: "
					+ password + "  (shown once; set LATCHKEY_ADMIN_PASSWORD to choose it)");
		}
		else {
			logger.info("Created the first administrator '" + this.username
					+ "' with the password from LATCHKEY_ADMIN_PASSWORD");
		}
	}

	private static String generatePassword() {
		SecureRandom random = new SecureRandom();
		StringBuilder password = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return password.toString();
	}

}
