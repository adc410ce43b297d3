package io.latchkey.auth.oauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import io.latchkey.authorization.support.OwnerOnlyFiles;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.util.StringUtils;

/**
 * No public secret: the resource API's client secret
 * ({@code LATCHKEY_RESOURCE_API_SECRET}) is the configured one if set (raw, or encoded as
 * {@code {bcrypt}…}), else generated on first start into
 * {@code latchkey.reference.resource-api-secret-file} (owner-only from the moment it
 * exists, next to the embedded Redis's passwords) and read from there on later starts.
 * The server keeps only its BCrypt hash; {@code ./latchkey run} hands the file's secret
 * to the resource API. Nothing documented works as a secret anywhere.
 */
class ReferenceClientSecret implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY = "LATCHKEY_RESOURCE_API_SECRET";

	static final String FILE_PROPERTY = "latchkey.reference.resource-api-secret-file";

	private final Log logger;

	ReferenceClientSecret(DeferredLogFactory logs) {
		this.logger = logs.getLog(ReferenceClientSecret.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String configured = environment.getProperty(PROPERTY);
		if (StringUtils.hasText(configured)) {
			if (!configured.startsWith("{")) {
				environment.getPropertySources()
					.addFirst(new MapPropertySource("latchkeyResourceApiSecret",
							Map.of(PROPERTY, "{noop}" + configured)));
			}
			return;
		}
		Path file = Path.of(environment.getProperty(FILE_PROPERTY, "data/resource-api-secret"))
			.toAbsolutePath()
			.normalize();
		String secret;
		try {
			secret = OwnerOnlyFiles.readOrGenerate(file, 40);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not keep the resource API's client secret in " + file + ": set "
					+ PROPERTY + ", or " + FILE_PROPERTY + " to a writable place", ex);
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource("latchkeyResourceApiSecret",
					Map.of(PROPERTY, "{bcrypt}" + new BCryptPasswordEncoder().encode(secret))));
		this.logger
			.info("The resource API's client secret is the one kept in " + file + " (readable by this user only)");
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
