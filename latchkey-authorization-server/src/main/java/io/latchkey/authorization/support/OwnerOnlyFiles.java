package io.latchkey.authorization.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Files that hold secrets (generated passwords, client secrets, ACL files): readable and
 * writable by their owner only from the moment they exist. A new file is created with
 * those permissions, and an existing one gets them before anything is written to it, so
 * that no secret is ever in a file others may read, whatever the process's umask. (On a
 * file system without POSIX permissions the folder's own permissions protect it.)
 *
 * @since 0.1
 */
public final class OwnerOnlyFiles {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

	private static final SecureRandom random = new SecureRandom();

	private OwnerOnlyFiles() {
	}

	/**
	 * Writes {@code content} to {@code file}, owner-only before the first byte is
	 * written.
	 */
	public static void write(Path file, String content) throws IOException {
		Path absolute = file.toAbsolutePath();
		if (absolute.getParent() != null) {
			Files.createDirectories(absolute.getParent());
		}
		boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
		if (Files.isSymbolicLink(absolute)) {
			Files.delete(absolute);
		}
		if (Files.exists(absolute)) {
			if (posix) {
				Files.setPosixFilePermissions(absolute, OWNER_ONLY);
			}
		}
		else if (posix) {
			FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
			Files.createFile(absolute, ownerOnly);
		}
		Files.writeString(absolute, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
	}

	/**
	 * The secret kept in {@code file} (its first line), or a new random one of
	 * {@code length} characters written there first.
	 */
	public static String readOrGenerate(Path file, int length) throws IOException {
		if (Files.exists(file)) {
			return Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		String secret = randomSecret(length);
		write(file, secret + "\n");
		return secret;
	}

	/** Random letters and digits (no look-alikes), from {@link SecureRandom}. */
	public static String randomSecret(int length) {
		StringBuilder secret = new StringBuilder();
		for (int i = 0; i < length; i++) {
			secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return secret.toString();
	}

}
