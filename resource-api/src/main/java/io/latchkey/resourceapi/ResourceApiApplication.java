package io.latchkey.resourceapi;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ResourceApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(ResourceApiApplication.class, args);
	}

	/**
	 * No observation of each security filter, authentication and authorization, as in the
	 * auth server (see bench/README.md); {@code http.server.requests} stays.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
