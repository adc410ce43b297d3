package io.latchkey.auth.token;

import java.util.List;
import java.util.Map;

import io.latchkey.auth.AuthServerTestBase;
import io.latchkey.auth.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 6: revoking a token by any door (id, string, RFC 7009) also revokes every token it
 * was rotated into, transitively: a thief who rotates a leaked token first does not
 * survive its revocation. The audit record names them all.
 */
class RevocationFollowsRotationTests extends AuthServerTestBase {

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void revokeByIdWhenThiefRotatedTheTokenFirstThenTheSuccessorDiesToo() {
		String user = newUser();
		JsonNode leaked = generateToken(user, Map.of());
		String successor = selfRotate(leaked.get("token").asString());
		assertThat(asAdmin(Http.delete(url("/api/users/" + user + "/tokens/" + leaked.get("id").asString()))).status())
			.isEqualTo(204);
		assertThat(introspect(successor).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void revokeByStringWhenRotatedTwiceThenTheWholeChainDies() {
		String user = newUser();
		JsonNode leaked = generateToken(user, Map.of());
		String second = selfRotate(leaked.get("token").asString());
		String third = selfRotate(second);
		assertThat(asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", leaked.get("token").asString())))
			.status()).isEqualTo(204);
		assertThat(introspect(second).body()).isEqualTo("{\"active\":false}");
		assertThat(introspect(third).body()).isEqualTo("{\"active\":false}");
		assertThat(asAdmin(Http.get(url("/api/users/" + user + "/tokens"))).json().values()).hasSize(3)
			.allSatisfy((listed) -> assertThat(listed.get("revocationReason").asString()).isEqualTo("leaked"));
		String record = this.redis.opsForStream()
			.reverseRange(KEY_PREFIX + ":audit", Range.unbounded(), Limit.limit().count(20))
			.stream()
			.filter((entry) -> "token.revoked".equals(entry.getValue().get("type"))
					&& leaked.get("id").asString().equals(entry.getValue().get("token_id")))
			.findFirst()
			.orElseThrow()
			.getValue()
			.toString();
		assertThat(record).contains("rotated_into", "reason=leaked");
	}

	@Test
	void revokeThroughOAuthEndpointWhenRotatedThenTheSuccessorDiesToo() {
		String user = newUser();
		JsonNode leaked = generateToken(user, Map.of());
		String successor = selfRotate(leaked.get("token").asString());
		Http.Response revoked = Http.post(url("/oauth2/revoke"))
			.basic(CLIENT_ID, CLIENT_SECRET)
			.form(Map.of("token", leaked.get("token").asString()))
			.send();
		assertThat(revoked.status()).isEqualTo(200);
		assertThat(introspect(successor).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void revokeTheSuccessorThenItsPredecessorsListStaysAndNothingElseDies() {
		String user = newUser();
		JsonNode first = generateToken(user, Map.of());
		String other = tokenFor(user);
		String successor = selfRotate(first.get("token").asString());
		asAdmin(Http.post(url("/api/tokens/revoke")).json(Map.of("token", successor)));
		assertThat(introspect(other).json().get("active").asBoolean()).isTrue();
		assertThat(List.of(introspect(successor).body())).containsExactly("{\"active\":false}");
	}

	private String selfRotate(String token) {
		Http.Response rotated = Http.post(url("/api/tokens/self/rotate")).bearer(token).send();
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		return rotated.json().get("token").asString();
	}

}
