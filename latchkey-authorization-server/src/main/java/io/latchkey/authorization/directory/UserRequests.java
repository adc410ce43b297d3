package io.latchkey.authorization.directory;

import java.util.List;

import io.latchkey.authorization.support.MaxBytes;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the users and groups API. */
public final class UserRequests {

	private UserRequests() {
	}

	/**
	 * Without a password, the user is a service account: it cannot sign in, it only owns
	 * tokens.
	 */
	public record CreateUser(
			@NotBlank @Pattern(regexp = Names.USERNAME,
					message = "must be 1 to 64 letters, digits, '.', '_', '@' or '-'") String username,
			@Size(max = 100) String displayName, @Size(min = 8) @MaxBytes(Names.PASSWORD_MAX_BYTES) String password,
			@Size(max = 100) List<@NotBlank String> groups, Boolean enabled, @Email @Size(max = 254) String email) {

		public CreateUser(String username, String displayName, String password, List<String> groups, Boolean enabled) {
			this(username, displayName, password, groups, enabled, null);
		}

	}

	/** Only what is given changes; an empty {@code email} removes it. */
	public record UpdateUser(@Size(max = 100) String displayName,
			@Size(min = 8) @MaxBytes(Names.PASSWORD_MAX_BYTES) String password,
			@Size(max = 100) List<@NotBlank String> groups, Boolean enabled, @Email @Size(max = 254) String email) {

		public UpdateUser(String displayName, String password, List<String> groups, Boolean enabled) {
			this(displayName, password, groups, enabled, null);
		}

	}

	public record GroupBody(
			@NotBlank @Pattern(regexp = Names.GROUP,
					message = "must be 1 to 64 letters, digits, '.', '_' or '-'") String name,
			@Size(max = 100) List<@NotBlank String> rights) {
	}

}
