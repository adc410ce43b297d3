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
 * @param keyPrefix the prefix of the projects' keys
 */
@Validated
@ConfigurationProperties("latchkey.resource")
public record ResourceApiProperties(@NotBlank @DefaultValue("rapi") String keyPrefix) {

}
