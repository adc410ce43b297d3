package io.latchkey.auth.system;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.latchkey.auth.token.PersonalAccessToken;
import io.latchkey.auth.token.TokenStore;
import io.latchkey.auth.user.DirectoryStore;
import io.latchkey.auth.user.OwnerState;
import io.latchkey.auth.user.User;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage contract: what the token and directory stores promise, whatever the Redis
 * topology. Each topology we support runs it through a subclass that supplies the template.
 */
abstract class RedisStoreContractTests {

	private RedisKeys keys;

	private TokenStore tokens;

	private DirectoryStore directory;

	private StringRedisTemplate redis;

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	protected abstract StringRedisTemplate redis();

	@BeforeEach
	void stores() {
		this.redis = redis();
		this.keys = new RedisKeys("contract-" + UUID.randomUUID());
		this.tokens = new TokenStore(this.redis, this.keys);
		this.directory = new DirectoryStore(this.redis, this.keys);
	}

	@Test
	void findByDigestWhenSavedThenWholeRecordInOneKey() {
		PersonalAccessToken token = token("alice", "d1", this.now);
		this.tokens.save(token, Duration.ofDays(1));
		assertThat(this.tokens.findByDigest("d1")).contains(token);
		assertThat(this.tokens.findByDigest("unknown")).isEmpty();
	}

	@Test
	void saveWhenRetentionGivenThenRedisExpiresRecord() {
		this.tokens.save(token("alice", "d2", this.now), Duration.ofHours(2));
		Long ttl = this.redis.getExpire(this.keys.token("d2"));
		assertThat(ttl).isBetween(Duration.ofHours(2).toSeconds() - 60, Duration.ofHours(2).toSeconds());
	}

	@Test
	void findByOwnerWhenSeveralThenNewestFirstAndOnlyTheirs() {
		this.tokens.save(token("alice", "old", this.now.minusSeconds(60)), Duration.ofDays(1));
		this.tokens.save(token("alice", "new", this.now), Duration.ofDays(1));
		this.tokens.save(token("bob", "other", this.now), Duration.ofDays(1));
		assertThat(this.tokens.findByOwner("alice")).extracting(PersonalAccessToken::digest)
			.containsExactly("new", "old");
	}

	@Test
	void deleteWhenRevokedThenRecordAndIndexGone() {
		PersonalAccessToken token = token("alice", "d3", this.now);
		this.tokens.save(token, Duration.ofDays(1));
		assertThat(this.tokens.delete("alice", token.id(), "d3")).isTrue();
		assertThat(this.tokens.findByDigest("d3")).isEmpty();
		assertThat(this.tokens.findDigest("alice", token.id())).isEmpty();
		assertThat(this.tokens.delete("alice", token.id(), "d3")).isFalse();
	}

	@Test
	void touchWhenRecordDeletedThenNotRecreated() {
		PersonalAccessToken token = token("alice", "d4", this.now);
		this.tokens.save(token, Duration.ofDays(1));
		this.tokens.touch("d4", this.now, "127.0.0.1");
		assertThat(this.tokens.findByDigest("d4")).get()
			.satisfies((touched) -> assertThat(touched.lastUsedAt()).isEqualTo(this.now));
		this.tokens.delete("alice", token.id(), "d4");
		this.tokens.touch("d4", this.now, "127.0.0.1");
		assertThat(this.redis.hasKey(this.keys.token("d4"))).isFalse();
	}

	@Test
	void findByOwnerWhenRecordVanishedThenIndexEntryDropped() {
		PersonalAccessToken token = token("alice", "d5", this.now);
		this.tokens.save(token, Duration.ofDays(1));
		this.redis.delete(this.keys.token("d5"));
		assertThat(this.tokens.findByOwner("alice")).isEmpty();
		assertThat(this.tokens.findDigest("alice", token.id())).isEmpty();
	}

	@Test
	void ownerStateWhenInGroupsThenUnionOfTheirRightsInOneCall() {
		this.directory.createGroup("readers", Set.of("projects.read"));
		this.directory.createGroup("writers", Set.of("projects.write", "projects.read"));
		this.directory.create(user("carol", Set.of("readers", "writers"), true));
		OwnerState state = this.directory.ownerState("carol").orElseThrow();
		assertThat(state.uid()).isEqualTo("uid-carol");
		assertThat(state.enabled()).isTrue();
		assertThat(state.rights()).containsExactlyInAnyOrder("projects.read", "projects.write");
		assertThat(this.directory.ownerState("nobody")).isEmpty();
	}

	@Test
	void createWhenUsernameTakenThenFalseAndUnchanged() {
		assertThat(this.directory.create(user("dave", Set.of(), true))).isTrue();
		assertThat(this.directory.create(user("dave", Set.of("x"), false))).isFalse();
		assertThat(this.directory.find("dave")).get().extracting(User::enabled).isEqualTo(true);
	}

	@Test
	void deleteGroupWhenMembersThenGroupLeavesEveryMember() {
		this.directory.createGroup("temp", Set.of("projects.read"));
		this.directory.createGroup("keep", Set.of("projects.write"));
		this.directory.create(user("erin", Set.of("temp", "keep"), true));
		this.directory.create(user("frank", Set.of("keep"), true));
		assertThat(this.directory.deleteGroup("temp")).contains(List.of("erin"));
		assertThat(this.directory.find("erin").orElseThrow().groups()).containsExactly("keep");
		assertThat(this.directory.deleteGroup("temp")).isEmpty();
	}

	@Test
	void deleteUserWhenTokensThenAnswersTheirDigestsAndUserGone() {
		this.directory.create(user("gina", Set.of(), true));
		this.tokens.save(token("gina", "g1", this.now), Duration.ofDays(1));
		assertThat(this.directory.delete("gina")).contains(List.of("g1"));
		assertThat(this.directory.find("gina")).isEmpty();
		assertThat(this.directory.findAll()).extracting(User::username).doesNotContain("gina");
	}

	@Test
	void keysWhenDirectoryThenOneHashSlotSoScriptsWorkOnCluster() {
		int slot = SlotHash.getSlot(this.keys.users());
		assertThat(List.of(this.keys.user("a"), this.keys.user("zz"), this.keys.groups(), this.keys.tokensOf("a")))
			.allSatisfy((key) -> assertThat(SlotHash.getSlot(key)).isEqualTo(slot));
		assertThat(SlotHash.getSlot(this.keys.token("abc"))).isEqualTo(SlotHash.getSlot("abc"));
	}

	private static PersonalAccessToken token(String owner, String digest, Instant createdAt) {
		return new PersonalAccessToken("id-" + digest, digest, "lkp_…" + digest, owner, "uid-" + owner, "desc",
				Set.of("projects.read"), createdAt, "admin", createdAt.plus(Duration.ofDays(1)), null, null);
	}

	private User user(String name, Set<String> groups, boolean enabled) {
		return new User(name, "uid-" + name, name, "{noop}pw", enabled, groups, this.now);
	}

}
