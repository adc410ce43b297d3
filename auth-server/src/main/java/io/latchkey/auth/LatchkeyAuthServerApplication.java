package io.latchkey.auth;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Latchkey's reference deployment: a Spring Authorization Server with the Latchkey
 * library (personal access tokens, users and groups, the management API), the web portal,
 * and an embedded Redis when none is configured.
 */
@SpringBootApplication
public class LatchkeyAuthServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(LatchkeyAuthServerApplication.class, args);
	}

	/**
	 * No observation of each security filter, authentication and authorization: on the
	 * introspection hot path they cost about 40 % of the throughput (see
	 * bench/README.md). The HTTP server's own observation ({@code http.server.requests})
	 * stays.
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
