package io.latchkey.auth.user;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the users and groups API. */
final class UserRequests {

	private UserRequests() {
	}

	record CreateUser(
			@NotBlank @Pattern(regexp = Names.USERNAME,
					message = "must be 1 to 64 letters, digits, '.', '_', '@' or '-'") String username,
			@Size(max = 100) String displayName, @NotNull @Size(min = 8, max = 200) String password,
			List<@NotBlank String> groups, Boolean enabled) {
	}

	record UpdateUser(@Size(max = 100) String displayName, @Size(min = 8, max = 200) String password,
			List<@NotBlank String> groups, Boolean enabled) {
	}

	record GroupBody(@NotBlank @Pattern(regexp = Names.GROUP,
			message = "must be 1 to 64 letters, digits, '.', '_' or '-'") String name, List<@NotBlank String> rights) {
	}

}
