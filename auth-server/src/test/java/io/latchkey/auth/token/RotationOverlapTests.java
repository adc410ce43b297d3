package io.latchkey.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation with an overlap and {@code rotated-reuse: revoke-family}: the old token keeps
 * working until the overlap ends (and says so in {@code exp}), a chain of rotations never
 * leaves more than two tokens working, and presenting a token after its overlap revokes
 * its whole family.
 */
@TestPropertySource(
		properties = { "latchkey.tokens.rotation-overlap=1m", "latchkey.tokens.rotated-reuse=revoke-family" })
class RotationOverlapTests extends AuthServerTestBase {

	@Test
	void rotateWhenOverlapThenOldTokenWorksUntilItsEndAndSaysSo() {
		String user = newUser();
		String old = tokenFor(user);
		JsonNode rotated = selfRotate(old);
		JsonNode during = introspect(old).json();
		assertThat(during.get("active").asBoolean()).as("still working during the overlap").isTrue();
		assertThat(Instant.ofEpochSecond(during.get("exp").asLong())).isBetween(this.clock.instant().plusSeconds(58),
				this.clock.instant().plusSeconds(60));
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(introspect(rotated.get("token").asString()).json().get("active").asBoolean()).isTrue();
		assertThat(introspect(old).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void rotateWhenSuccessorRotatedDuringTheOverlapThenThePredecessorStopsAtOnce() {
		String user = newUser();
		String first = tokenFor(user);
		String second = selfRotate(first).get("token").asString();
		String third = selfRotate(second).get("token").asString();
		assertThat(introspect(second).json().get("active").asBoolean()).isTrue();
		assertThat(introspect(third).json().get("active").asBoolean()).isTrue();
		JsonNode listed = asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json();
		long stillWorking = listed.values()
			.stream()
			.filter((token) -> token.path("retiresAt").isMissingNode() || token.get("retiresAt").isNull()
					|| Instant.parse(token.get("retiresAt").asString()).isAfter(this.clock.instant()))
			.count();
		assertThat(stillWorking).as("only two of a family work at once").isEqualTo(2);
	}

	@Test
	void reuseWhenRotatedTokenPresentedAfterItsOverlapThenTheWholeFamilyIsRevoked() {
		String user = newUser();
		String unrelated = tokenFor(user);
		String old = tokenFor(user);
		String successor = selfRotate(old).get("token").asString();
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(introspect(old).body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(successor).body()).as("the family is revoked: whoever reused the old token may hold it")
			.isEqualTo("{\"active\":false}");
		assertThat(introspect(unrelated).json().get("active").asBoolean()).as("other tokens keep working").isTrue();
		JsonNode reuse = asAdmin(Http.get(url("/api/audit?type=token.reuse_detected&user=" + user))).json().get(0);
		assertThat(reuse.get("action").asString()).isEqualTo("revoke-family");
	}

	@Test
	void rotateSelfWhenAskedToOutliveItsOwnLifetimeThen400() {
		String user = newUser();
		String token = generateToken(user,
				Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(7)).toString()))
			.get("token")
			.asString();
		Http.Response response = Http.post(url("/api/tokens/self/rotate"))
			.bearer(token)
			.json(Map.of("expiresAt", this.clock.instant().plus(Duration.ofDays(300)).toString()))
			.send();
		TokenApiTests.assertBadField(response, "expiresAt");
		assertThat(introspect(token).json().get("active").asBoolean()).as("nothing changed").isTrue();
	}

	private JsonNode selfRotate(String token) {
		Http.Response response = Http.post(url("/api/tokens/self/rotate")).bearer(token).send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

}
