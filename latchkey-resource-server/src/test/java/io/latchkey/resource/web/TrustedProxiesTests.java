package io.latchkey.resource.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.latchkey.resource.AuthServerStub;
import io.latchkey.resource.AuthServerStub.Answer;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 10 in the resource-server library: only a peer inside
 * {@code latchkey.http.trusted-proxies} (127.0.0.2 here) may say who the client is, and
 * the address reported to the auth server as {@code latchkey_client_ip} (which allowlists
 * are checked against) is the first untrusted hop from the right. The auth server is a
 * real HTTP receiver that records what it is told.
 */
@SpringBootTest(classes = TrustedProxiesTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "latchkey.http.trusted-proxies=127.0.0.2/32",
				"latchkey.resource.introspection.cache-enabled=false",
				"spring.security.oauth2.resourceserver.opaquetoken.client-id=orders",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=orders-secret" })
class TrustedProxiesTests {

	private static final List<String> reported = new CopyOnWriteArrayList<>();

	private static final AuthServerStub authServer = AuthServerStub.start()
		.answer("/oauth2/introspect", (form, headers) -> {
			if (form.containsKey("latchkey_client_ip")) {
				reported.add(form.get("latchkey_client_ip"));
			}
			return Answer.json("{\"active\":true,\"sub\":\"ci-bot\",\"scope\":\"orders.read\",\"aud\":[\"orders\"]}");
		});

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RealRedis.uri().toString());
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				authServer::introspectionUri);
	}

	@BeforeEach
	void forget() {
		reported.clear();
	}

	@AfterAll
	static void stop() {
		authServer.stop();
	}

	@Test
	void forwardedForFromAnUntrustedPeerThenTheReportedAddressIsThePeersOwn() throws Exception {
		assertThat(get("127.0.0.3", "X-Forwarded-For", "10.9.9.9")).isEqualTo(200);
		assertThat(get("127.0.0.3", "Forwarded", "for=10.9.9.9")).isEqualTo(200);
		assertThat(reported).containsExactly("127.0.0.3", "127.0.0.3");
	}

	@Test
	void forwardedForFromTheTrustedProxyThenTheFirstUntrustedHopFromTheRight() throws Exception {
		get("127.0.0.2", "X-Forwarded-For", "10.1.1.1, 10.9.9.9");
		get("127.0.0.2", "X-Forwarded-For", "10.9.9.9, 127.0.0.3");
		get("127.0.0.2", "Forwarded", "for=10.1.1.1, for=\"[2001:db8::7]:4711\"");
		get("127.0.0.2", "X-Forwarded-For", "not an address");
		assertThat(reported).containsExactly("10.9.9.9", "127.0.0.3", "2001:db8:0:0:0:0:0:7", "127.0.0.2");
	}

	private int get(String from, String header, String value) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/orders"))
			.header("Authorization", "Bearer lkp_" + "c".repeat(36))
			.header(header, value)
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

	@RestController
	static class Orders {

		@GetMapping("/orders")
		String orders() {
			return "orders";
		}

	}

}
