package io.latchkey.authorization.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.latchkey.authorization.token.PersonalAccessToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token record's one layout: what is written reads back the same, empty fields are
 * left out, records of Latchkey 0.1 still read, and every field a Lua script names is one
 * of the codec's.
 */
class TokenRecordCodecTests {

	private static final Instant NOW = Instant.parse("2026-12-06T10:00:00.123Z");

	@Test
	void decodeWhenEncodedThenTheSameToken() {
		PersonalAccessToken token = PersonalAccessToken.builder()
			.id("id-1")
			.digest("d1", "lkp_…abcd")
			.owner("alice", "uid-alice")
			.description("CI pipeline")
			.scopes(Set.of("projects.read"), Set.of())
			.created(NOW, "admin")
			.expiresAt(NOW.plusSeconds(3600))
			.family("id-0")
			.allowedIps(List.of("10.0.0.0/8"))
			.build();
		assertThat(TokenRecordCodec.decode("d1", TokenRecordCodec.encode(token))).isEqualTo(token);
	}

	@Test
	void encodeWhenFieldsAreEmptyThenTheyAreLeftOut() {
		PersonalAccessToken token = PersonalAccessToken.builder()
			.id("id-1")
			.digest("d1", "lkp_…abcd")
			.owner("alice", "uid-alice")
			.created(NOW, "alice")
			.expiresAt(NOW.plusSeconds(3600))
			.build();
		assertThat(TokenRecordCodec.encode(token)).containsOnlyKeys("id", "hint", "owner", "ownerUid", "createdAt",
				"createdBy", "expiresAt");
		assertThat(TokenRecordCodec.encode(token)).containsEntry("expiresAt",
				Long.toString(NOW.plusSeconds(3600).toEpochMilli()));
	}

	@Test
	void decodeWhenARecordOfLatchkeyZeroPointOneHoldsIsoTimesThenRead() {
		Map<String, String> record = new HashMap<>(Map.of("id", "id-1", "hint", "lkp_…abcd", "owner", "alice",
				"ownerUid", "uid-alice", "createdAt", NOW.toString(), "createdBy", "alice", "expiresAt",
				NOW.plusSeconds(60).toString(), "uses", "10.0.0.1 " + NOW.toEpochMilli() + " garbage"));
		PersonalAccessToken token = TokenRecordCodec.decode("d1", record);
		assertThat(token).isNotNull();
		assertThat(token.createdAt()).isEqualTo(NOW);
		assertThat(token.recentUses()).containsExactly(new PersonalAccessToken.Use("10.0.0.1", NOW));
	}

	@Test
	void decodeWhenTheRecordIsMissingOrPartialThenNoToken() {
		assertThat(TokenRecordCodec.decode("d1", null)).isNull();
		assertThat(TokenRecordCodec.decode("d1", Map.of())).isNull();
		assertThat(TokenRecordCodec.decode("d1", Map.of("id", "id-1", "owner", "alice"))).isNull();
	}

	@Test
	void decodeWhenTheCeilingIsPresentButBlankThenTheTokenHasAnEmptyCeilingNotNone() {
		Map<String, String> record = Map.of("id", "id-1", "hint", "lkp_…abcd", "owner", "alice", "ownerUid",
				"uid-alice", "createdAt", Long.toString(NOW.toEpochMilli()), "createdBy", "admin", "expiresAt",
				Long.toString(NOW.plusSeconds(60).toEpochMilli()), "ceiling", " ");
		assertThat(TokenRecordCodec.decode("d1", record).ceiling()).isEmpty();
	}

	@Test
	void indexEntryWhenWrittenThenItsDigestAndEndReadBack() {
		String entry = TokenRecordCodec.indexEntry("d1", NOW);
		assertThat(TokenRecordCodec.digestOf(entry)).isEqualTo("d1");
		assertThat(TokenRecordCodec.endOf(entry)).isEqualTo(NOW.toEpochMilli());
		assertThat(TokenRecordCodec.endOf("d1")).isZero();
	}

	@Test
	void luaScriptsWhenTheyNameARecordFieldThenItIsTheCodecs() throws IOException {
		Pattern quoted = Pattern.compile("'([A-Za-z]+)'");
		Set<String> commands = Set.of("EXISTS", "HGET", "HSET", "HDEL", "HEXISTS", "HVALS", "DEL", "PEXPIRE", "ZADD",
				"ZREM", "ZREMRANGEBYSCORE", "inf", "SADD", "SREM");
		List<String> named = new ArrayList<>();
		for (String script : List.of("token-create", "token-delete", "token-index", "token-notice", "token-retire",
				"token-rotate", "token-touch", "token-unindex", "token-unused", "token-unused-release",
				"token-owner-prune")) {
			try (InputStream in = LuaScripts.class.getResourceAsStream(script + ".lua")) {
				assertThat(in).as(script).isNotNull();
				Matcher matcher = quoted.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				while (matcher.find()) {
					if (!commands.contains(matcher.group(1))) {
						named.add(matcher.group(1));
					}
				}
			}
		}
		assertThat(named).isNotEmpty().allSatisfy((field) -> assertThat(TokenRecordCodec.FIELDS).contains(field));
	}

}
