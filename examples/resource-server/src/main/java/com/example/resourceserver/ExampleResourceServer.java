package com.example.resourceserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring Boot resource service: Boot's opaque-token properties in
 * {@code application.yml}, controllers that say which scope they need, no security
 * configuration of its own. The Latchkey dependency adds the caching introspector, push
 * revocation and failing closed.
 */
@SpringBootApplication
public class ExampleResourceServer {

	public static void main(String[] args) {
		SpringApplication.run(ExampleResourceServer.class, args);
	}

}
