package io.latchkey.authorization.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/** One entry of the rights catalog ({@code latchkey.rights}): a name groups grant and tokens carry as a scope. */
public record Right(@NotBlank @Pattern(regexp = "[a-z][a-z0-9_.:-]*") String name, @Nullable String description) {

}
