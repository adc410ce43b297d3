package io.latchkey.auth;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Latchkey's reference deployment: a Spring Authorization Server with the Latchkey library
 * (personal access tokens, users and groups, the management API), the web portal, and an
 * embedded Redis when none is configured.
 */
@SpringBootApplication
public class LatchkeyAuthServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(LatchkeyAuthServerApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
