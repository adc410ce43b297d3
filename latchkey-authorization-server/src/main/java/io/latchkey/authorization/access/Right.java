package io.latchkey.authorization.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the rights catalog ({@code latchkey.rights}): a name groups grant and
 * tokens carry as a scope.
 *
 * @param name the right's name, as scopes spell it
 * @param description what it allows, for people
 * @since 0.1
 */
public record Right(@NotBlank @Pattern(regexp = "[a-z][a-z0-9_.:-]*") String name, @Nullable String description) {

}
