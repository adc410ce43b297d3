package io.latchkey.authorization.directory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.support.OwnerOnlyFiles;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.util.StringUtils;

/**
 * On first start with an empty store: an administrators group with every right and an
 * admin user in it. On later starts, if nobody holds every right (rights were added to
 * the catalog), the administrators group gets the rights it lacks. The password comes
 * from {@code LATCHKEY_ADMIN_PASSWORD}, or is generated and written to a file only its
 * owner may read, never logged.
 */
public final class AdminBootstrap implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(AdminBootstrap.class);

	private final Directory directory;

	private final UserService users;

	private final GroupService groups;

	private final RightsCatalog catalog;

	private final String username;

	private final @Nullable String password;

	private final String group;

	private final Path generatedPasswordFile;

	public AdminBootstrap(Directory directory, UserService users, GroupService groups, RightsCatalog catalog,
			String username, @Nullable String password, String group, Path generatedPasswordFile) {
		this.directory = directory;
		this.users = users;
		this.groups = groups;
		this.catalog = catalog;
		this.username = username;
		this.password = password;
		this.group = group;
		this.generatedPasswordFile = generatedPasswordFile;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.directory.isEmpty()) {
			if (this.groups.grantMissingRights(this.group)) {
				logger.warn("Nobody held every right of the catalog: the group '" + this.group
						+ "' was given the rights it lacked, so that a full administrator exists");
			}
			return;
		}
		this.groups.createIfAbsent(this.group, this.catalog.names());
		boolean generated = !StringUtils.hasText(this.password);
		String password = generated ? OwnerOnlyFiles.randomSecret(20) : this.password;
		if (!this.users.createIfAbsent(this.username, "Administrator", password, Set.of(this.group))) {
			return;
		}
		if (generated) {
			Path file = writeOwnerOnly(this.generatedPasswordFile, password);
			logger.warn("Created the first administrator '" + this.username + "' with a generated password, written to "
					+ file + " (readable by this user only): sign in, change it, delete the file. Set "
					+ "LATCHKEY_ADMIN_PASSWORD to choose it instead");
		}
		else {
			logger.info("Created the first administrator '" + this.username
					+ "' with the password from LATCHKEY_ADMIN_PASSWORD");
		}
	}

	/**
	 * Writes the password to a file only its owner may read, from the moment it exists.
	 */
	private static Path writeOwnerOnly(Path file, String password) {
		Path absolute = file.toAbsolutePath();
		try {
			OwnerOnlyFiles.write(absolute, password + "\n");
			return absolute;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the first administrator's generated password to " + absolute
					+ ": set LATCHKEY_ADMIN_PASSWORD, or latchkey.admin.generated-password-file to a writable place",
					ex);
		}
	}

}
