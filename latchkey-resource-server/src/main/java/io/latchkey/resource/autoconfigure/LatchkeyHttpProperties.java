package io.latchkey.resource.autoconfigure;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What every HTTP request of the resource service is read with ({@code latchkey.http.*}),
 * the same property as the authorization-server library's.
 *
 * @param trustedProxies the proxies (CIDR ranges) whose {@code Forwarded} or
 * {@code X-Forwarded-For} say who the client is; nobody else's do
 * @since 0.1
 */
@Validated
@ConfigurationProperties("latchkey.http")
public record LatchkeyHttpProperties(@NotNull @DefaultValue List<String> trustedProxies) {

}
