package com.example.authserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring Boot authorization server: Spring Boot's stock setup, a client in
 * {@code application.yml}, no security configuration of its own. The Latchkey dependency
 * adds personal access tokens to its {@code /oauth2/introspect} and
 * {@code /oauth2/revoke}, and the management API under {@code /api}.
 */
@SpringBootApplication
public class ExampleAuthorizationServer {

	public static void main(String[] args) {
		SpringApplication.run(ExampleAuthorizationServer.class, args);
	}

}
