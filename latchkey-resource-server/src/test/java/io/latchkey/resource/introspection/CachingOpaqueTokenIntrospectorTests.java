package io.latchkey.resource.introspection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The cache's rules, with an auth server stand-in that counts how often it is asked. */
class CachingOpaqueTokenIntrospectorTests {

	private final Instant now = Instant.parse("2026-11-22T10:00:00Z");

	private final Clock clock = Clock.fixed(this.now, ZoneOffset.UTC);

	private final AtomicInteger asked = new AtomicInteger();

	private final IntrospectionCache cache = new IntrospectionCache(100, Duration.ofMinutes(1), Duration.ofSeconds(10),
			this.clock);

	private Instant expiresAt = this.now.plus(Duration.ofDays(1));

	private Runnable duringCall = () -> {
	};

	private final OpaqueTokenIntrospector authServer = (token) -> {
		this.asked.incrementAndGet();
		this.duringCall.run();
		if (token.startsWith("bad")) {
			throw new BadOpaqueTokenException("inactive");
		}
		if (token.startsWith("down")) {
			throw new OAuth2IntrospectionException("Connection refused");
		}
		if (token.startsWith("office")) {
			return new OAuth2IntrospectionAuthenticatedPrincipal("alice",
					Map.of("sub", "alice", "exp", this.expiresAt, "allowed_ips",
							List.of("10.0.0.0/8", "2001:db8::/32")),
					List.of(new SimpleGrantedAuthority("SCOPE_projects.read")));
		}
		return new OAuth2IntrospectionAuthenticatedPrincipal("alice", Map.of("sub", "alice", "exp", this.expiresAt),
				List.of(new SimpleGrantedAuthority("SCOPE_projects.read")));
	};

	@AfterEach
	void noRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void introspectWhenCachedAnswerHasAnAllowlistThenEachRequestsAddressIsChecked() {
		from("10.1.2.3");
		assertThat(this.introspector.introspect("office-1").getName()).isEqualTo("alice");
		from("2001:db8:1::7");
		assertThat(this.introspector.introspect("office-1").getName()).isEqualTo("alice");
		from("127.0.0.1");
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("office-1"));
		from("::ffff:127.0.0.1");
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("office-1"));
		assertThat(this.asked).as("the answer came from the cache, but for reporting the one new address it admitted")
			.hasValue(2);
	}

	@Test
	void introspectWhenCachedAnswerServesANewAddressThenTheAuthServerHearsOfItOnce() {
		from("198.51.100.7");
		this.introspector.introspect("good-7");
		this.introspector.introspect("good-7");
		assertThat(this.asked).as("the address it was fetched for is reported").hasValue(1);
		from("203.0.113.7");
		assertThat(this.introspector.introspect("good-7").getName()).isEqualTo("alice");
		this.introspector.introspect("good-7");
		from("198.51.100.7");
		this.introspector.introspect("good-7");
		assertThat(this.asked).as("once more, for the new address only").hasValue(2);
	}

	@Test
	void introspectWhenReportingANewAddressFindsTheTokenInactiveThenRefusedAndDropped() {
		from("198.51.100.7");
		this.introspector.introspect("good-8");
		this.duringCall = () -> {
			throw new BadOpaqueTokenException("revoked, its event lost");
		};
		from("203.0.113.7");
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("good-8"));
		assertThat(this.cache.get("good-8", "198.51.100.7")).isNull();
	}

	@Test
	void introspectWhenReportingANewAddressFailsThenTheCachedAnswerServes() {
		from("198.51.100.7");
		OAuth2AuthenticatedPrincipal cached = this.introspector.introspect("good-9");
		this.duringCall = () -> {
			throw new OAuth2IntrospectionException("Connection refused");
		};
		from("203.0.113.7");
		assertThat(this.introspector.introspect("good-9")).isSameAs(cached);
	}

	@Test
	void introspectWhenInactiveFromOneAddressThenAnotherAddressStillAsks() {
		from("127.0.0.1");
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("bad-2"));
		from("10.0.0.1");
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("bad-2"));
		assertThat(this.asked).as("an answer that may depend on the address is cached per address").hasValue(2);
	}

	private static void from(String address) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr(address);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
	}

	private final CachingOpaqueTokenIntrospector introspector = new CachingOpaqueTokenIntrospector(this.authServer,
			this.cache);

	@Test
	void introspectWhenAskedTwiceThenAuthServerAskedOnce() {
		OAuth2AuthenticatedPrincipal first = this.introspector.introspect("good-1");
		assertThat(this.introspector.introspect("good-1")).isSameAs(first);
		assertThat(this.asked).hasValue(1);
	}

	@Test
	void introspectWhenInactiveThenCachedBrieflyAndStillRefused() {
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("bad-1"));
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("bad-1"));
		assertThat(this.asked).hasValue(1);
		assertThat(this.cache.caffeine()
			.policy()
			.expireVariably()
			.orElseThrow()
			.getExpiresAfter(IntrospectionCache.inactiveKey(IntrospectionCache.digest("bad-1"), null)))
			.contains(Duration.ofSeconds(10));
	}

	@Test
	void introspectWhenAuthServerUnreachableThenFailsAndCachesNothing() {
		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> this.introspector.introspect("down-1"));
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void introspectWhenTokenExpiresBeforeMaxAgeThenKeptOnlyUntilExpiry() {
		this.expiresAt = this.now.plusSeconds(20);
		this.introspector.introspect("good-2");
		assertThat(this.cache.caffeine()
			.policy()
			.expireVariably()
			.orElseThrow()
			.getExpiresAfter(IntrospectionCache.digest("good-2"))).contains(Duration.ofSeconds(20));
		this.expiresAt = this.now.plus(Duration.ofDays(1));
		this.introspector.introspect("good-3");
		assertThat(this.cache.caffeine()
			.policy()
			.expireVariably()
			.orElseThrow()
			.getExpiresAfter(IntrospectionCache.digest("good-3"))).contains(Duration.ofMinutes(1));
	}

	@Test
	void dropWhenDigestOrUserThenAskedAgain() {
		this.introspector.introspect("good-4");
		this.cache.dropToken(IntrospectionCache.digest("good-4"));
		this.introspector.introspect("good-4");
		this.cache.dropUsers(Set.of("alice"));
		this.introspector.introspect("good-4");
		this.cache.dropAll();
		this.introspector.introspect("good-4");
		assertThat(this.asked).hasValue(4);
	}

	@Test
	void introspectWhenRevocationArrivesDuringTheCallThenAnswerNotKept() {
		this.duringCall = () -> this.cache.dropUsers(Set.of("alice"));
		this.introspector.introspect("good-5");
		assertThat(this.cache.get("good-5", null)).isNull();
	}

	@Test
	void cacheKeysAreDigestsNeverTokens() {
		this.introspector.introspect("good-6");
		assertThat(this.cache.caffeine().asMap().keySet()).containsExactly(IntrospectionCache.digest("good-6"))
			.allSatisfy((key) -> assertThat(key).doesNotContain("good"));
	}

}
