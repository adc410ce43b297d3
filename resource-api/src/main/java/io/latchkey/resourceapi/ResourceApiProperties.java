package io.latchkey.resourceapi;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sample API's own setting: where its projects live in Redis. (Everything
 * Latchkey-specific is the resource-server library's {@code latchkey.resource.*} and
 * Spring Boot's properties.)
 *
 * @param keyPrefix the prefix of its keys in Redis, the only ones its Redis user may use:
 * its projects', and, as the resource-server library's property of the same name, the
 * DPoP proofs it has seen
 */
@Validated
@ConfigurationProperties("latchkey.resource")
public record ResourceApiProperties(@NotBlank @DefaultValue("rapi") String keyPrefix) {

}
