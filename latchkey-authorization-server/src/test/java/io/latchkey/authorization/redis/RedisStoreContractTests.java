package io.latchkey.authorization.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.latchkey.authorization.directory.User;
import io.latchkey.authorization.notice.IdleClock;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.token.LastUse;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.RevocationReason;
import io.latchkey.authorization.token.RevokedToken;
import io.latchkey.authorization.token.TokenRepository;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The storage contract: what the token and directory stores promise, whatever the Redis
 * topology. Each topology we support runs it through a subclass that supplies the
 * template.
 */
abstract class RedisStoreContractTests {

	private RedisKeys keys;

	private RedisTokenRepository tokens;

	private RedisNoticeSchedule schedule;

	private RedisDirectory directory;

	private StringRedisTemplate redis;

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	protected abstract StringRedisTemplate redis();

	@BeforeEach
	void stores() {
		this.redis = redis();
		this.keys = new RedisKeys("contract-" + UUID.randomUUID());
		this.tokens = new RedisTokenRepository(this.redis, this.keys);
		this.schedule = new RedisNoticeSchedule(this.redis, this.keys);
		this.directory = new RedisDirectory(this.redis, this.keys);
	}

	@Test
	void findByDigestWhenSavedThenWholeRecordInOneKey() {
		PersonalAccessToken token = token("alice", "d1", this.now);
		save(token, Duration.ofDays(1));
		assertThat(this.tokens.findByDigest("d1")).contains(token);
		assertThat(this.tokens.findByDigest("unknown")).isEmpty();
	}

	@Test
	void saveWhenRetentionGivenThenRedisExpiresRecord() {
		save(token("alice", "d2", this.now), Duration.ofHours(2));
		Long ttl = this.redis.getExpire(this.keys.token("d2"));
		assertThat(ttl).isBetween(Duration.ofHours(2).toSeconds() - 60, Duration.ofHours(2).toSeconds());
	}

	@Test
	void findByOwnerWhenSeveralThenNewestFirstAndOnlyTheirs() {
		save(token("alice", "old", this.now.minusSeconds(60)), Duration.ofDays(1));
		save(token("alice", "new", this.now), Duration.ofDays(1));
		save(token("bob", "other", this.now), Duration.ofDays(1));
		assertThat(this.tokens.findByOwner("alice")).extracting(PersonalAccessToken::digest)
			.containsExactly("new", "old");
	}

	@Test
	void deleteWhenRevokedThenRecordAndIndexGone() {
		PersonalAccessToken token = token("alice", "d3", this.now);
		save(token, Duration.ofDays(1));
		assertThat(this.tokens.delete("alice", token.id(), "d3").existed()).isTrue();
		assertThat(this.tokens.findByDigest("d3")).isEmpty();
		assertThat(this.tokens.findDigest("alice", token.id())).isEmpty();
		assertThat(this.tokens.delete("alice", token.id(), "d3").existed()).isFalse();
	}

	@Test
	void touchWhenRecordDeletedThenNotRecreated() {
		PersonalAccessToken token = token("alice", "d4", this.now);
		save(token, Duration.ofDays(1));
		touch("d4", this.now);
		assertThat(this.tokens.findByDigest("d4")).get()
			.satisfies((touched) -> assertThat(touched.lastUsedAt()).isEqualTo(this.now));
		this.tokens.delete("alice", token.id(), "d4");
		touch("d4", this.now.plusSeconds(120));
		assertThat(this.redis.hasKey(this.keys.token("d4"))).isFalse();
	}

	@Test
	void touchAllWhenAnotherInstanceRecordedAUseWithinTheIntervalThenNotWrittenAgain() {
		save(token("alice", "d6", this.now), Duration.ofDays(1));
		save(token("alice", "d7", this.now), Duration.ofDays(1));
		touch("d6", this.now);
		this.tokens.touchAll(List.of(new LastUse("d6", this.now.plusSeconds(30), "elsewhere", null),
				new LastUse("d7", this.now.plusSeconds(30), "elsewhere", null)), Duration.ofMinutes(1));
		assertThat(this.tokens.findByDigest("d6").orElseThrow().lastUsedAt()).isEqualTo(this.now);
		assertThat(this.tokens.findByDigest("d7").orElseThrow().lastUsedFrom()).isEqualTo("elsewhere");
		touch("d6", this.now.plusSeconds(61));
		assertThat(this.tokens.findByDigest("d6").orElseThrow().lastUsedAt()).isEqualTo(this.now.plusSeconds(61));
	}

	@Test
	void findByOwnerWhenAnExpiredTokensRecordVanishedThenIndexEntryDropped() {
		PersonalAccessToken token = token("alice", "d5", this.now.minus(Duration.ofDays(2)));
		save(token, Duration.ofDays(1));
		this.redis.delete(this.keys.token("d5"));
		assertThat(this.tokens.findByOwner("alice")).isEmpty();
		assertThat(this.tokens.findDigest("alice", token.id())).isEmpty();
	}

	@Test
	void findByOwnerWhenALiveTokensRecordIsNotWrittenYetThenNotListedButStillIndexed() {
		PersonalAccessToken token = token("alice", "d5b", this.now);
		save(token, Duration.ofDays(1));
		this.redis.delete(this.keys.token("d5b"));
		assertThat(this.tokens.findByOwner("alice")).isEmpty();
		assertThat(this.tokens.findDigest("alice", token.id()))
			.as("its record may be on its way: the index is written first")
			.contains("d5b");
	}

	@Test
	void ownerStateWhenInGroupsThenUnionOfTheirRightsInOneCall() {
		saveGroup("readers", Set.of("projects.read"));
		saveGroup("writers", Set.of("projects.write", "projects.read"));
		saveUser(user("carol", Set.of("readers", "writers"), true));
		OwnerState state = this.directory.ownerState("carol").orElseThrow();
		assertThat(state.username()).isEqualTo("carol");
		assertThat(state.uid()).isEqualTo("uid-carol");
		assertThat(state.enabled()).isTrue();
		assertThat(state.stamp()).isEqualTo("stamp-carol");
		assertThat(state.rights()).containsExactlyInAnyOrder("projects.read", "projects.write");
		assertThat(this.directory.ownerState("nobody")).isEmpty();
	}

	@Test
	void findWhenNameDiffersOnlyInCaseThenSameUserWithItsOwnSpelling() {
		saveUser(user("Dave", Set.of(), true));
		assertThat(this.directory.find("dave")).get().extracting(User::username).isEqualTo("Dave");
		assertThat(this.directory.find("DAVE")).get().extracting(User::username).isEqualTo("Dave");
		assertThat(this.directory.ownerState("dAvE")).get().extracting(OwnerState::username).isEqualTo("Dave");
	}

	@Test
	void atomicallyWhenAnotherWriteCameBetweenReadAndWriteThenChangeRunsAgainOnFreshState() {
		saveUser(user("hank", Set.of(), true));
		AtomicInteger runs = new AtomicInteger();
		String seen = this.directory.atomically((writes) -> {
			User hank = this.directory.find("hank").orElseThrow();
			if (runs.incrementAndGet() == 1) {
				saveUser(new User("hank", hank.uid(), "Changed meanwhile", hank.passwordHash(), true, Set.of(),
						hank.createdAt(), hank.stamp(), null));
			}
			writes.saveUser(new User("hank", hank.uid(), hank.displayName() + " and then", hank.passwordHash(), true,
					Set.of(), hank.createdAt(), hank.stamp(), null), Set.of());
			return hank.displayName();
		});
		assertThat(runs).hasValue(2);
		assertThat(seen).isEqualTo("Changed meanwhile");
		assertThat(this.directory.find("hank").orElseThrow().displayName()).isEqualTo("Changed meanwhile and then");
	}

	@Test
	void atomicallyWhenChangeRefusesThenNothingWritten() {
		saveUser(user("ivan", Set.of(), true));
		assertThatIllegalStateException().isThrownBy(() -> this.directory.atomically((writes) -> {
			writes.deleteUser(this.directory.find("ivan").orElseThrow());
			throw new IllegalStateException("refused");
		}));
		assertThat(this.directory.find("ivan")).isPresent();
	}

	@Test
	void saveUserWhenGroupsChangeThenMemberSetsFollow() {
		saveUser(user("jane", Set.of("a", "b"), true));
		assertThat(this.directory.members("a")).containsExactly("jane");
		User jane = this.directory.find("jane").orElseThrow();
		this.directory.atomically((writes) -> {
			writes.saveUser(new User("jane", jane.uid(), null, null, true, Set.of("b", "c"), jane.createdAt(),
					jane.stamp(), "jane@example.com"), jane.groups());
			return null;
		});
		assertThat(this.directory.members("a")).isEmpty();
		assertThat(this.directory.members("b")).containsExactly("jane");
		assertThat(this.directory.members("c")).containsExactly("jane");
		assertThat(this.directory.find("jane").orElseThrow().hasPassword()).isFalse();
	}

	@Test
	void deleteGroupWhenMembersThenGroupLeavesEveryMember() {
		saveGroup("temp", Set.of("projects.read"));
		saveGroup("keep", Set.of("projects.write"));
		saveUser(user("erin", Set.of("temp", "keep"), true));
		saveUser(user("frank", Set.of("keep"), true));
		this.directory.atomically((writes) -> {
			writes.deleteGroup("temp", this.directory.find(List.copyOf(this.directory.members("temp"))));
			return null;
		});
		assertThat(this.directory.find("erin").orElseThrow().groups()).containsExactly("keep");
		assertThat(this.directory.groupRights("temp")).isEmpty();
		assertThat(this.directory.members("temp")).isEmpty();
	}

	@Test
	void deleteUserWhenTokensThenDigestsReadableFirstAndUserGone() {
		saveUser(user("gina", Set.of("g"), true));
		save(token("gina", "g1", this.now), Duration.ofDays(1));
		assertThat(this.directory.tokenDigests("gina")).containsExactly("g1");
		this.directory.atomically((writes) -> {
			writes.deleteUser(this.directory.find("gina").orElseThrow());
			return null;
		});
		assertThat(this.directory.find("gina")).isEmpty();
		assertThat(this.directory.tokenDigests("gina")).isEmpty();
		assertThat(this.directory.members("g")).isEmpty();
		assertThat(this.directory.find(this.directory.usernames())).extracting(User::username).doesNotContain("gina");
	}

	@Test
	void saveWhenOwnerHasMaxLiveTokensThenRefusedButExpiredOnesDoNotCount() {
		assertThat(this.tokens.save(token("kim", "k1", this.now), Duration.ofDays(1), 2, this.now)).isTrue();
		PersonalAccessToken expired = new PersonalAccessToken("id-k0", "k0", "lkp_…k0", "kim", "uid-kim", null,
				Set.of(), this.now.minus(Duration.ofDays(2)), "admin", this.now.minusSeconds(1), null, null, "id-k0",
				List.of(), null, null, List.of(), null, null, null);
		assertThat(this.tokens.save(expired, Duration.ofDays(1), 2, this.now)).isTrue();
		assertThat(this.tokens.save(token("kim", "k2", this.now), Duration.ofDays(1), 2, this.now)).isTrue();
		assertThat(this.tokens.save(token("kim", "k3", this.now), Duration.ofDays(1), 2, this.now)).isFalse();
		assertThat(this.tokens.findByDigest("k3")).isEmpty();
	}

	@Test
	void markRotatedWhenFirstThenRetiresOnceAndStopsCountingAsLive() {
		save(token("rae", "r1", this.now), Duration.ofDays(1));
		Instant retiresAt = this.now.plusSeconds(60);
		assertThat(this.tokens.markRotated(token("rae", "r1", this.now), "id-r2", retiresAt, this.now))
			.isEqualTo(TokenRepository.Rotation.ROTATED);
		assertThat(this.tokens.markRotated(token("rae", "r1", this.now), "id-r3", retiresAt, this.now))
			.as("a token is rotated once, so rotation never adds a token")
			.isEqualTo(TokenRepository.Rotation.ALREADY_ROTATED);
		PersonalAccessToken rotated = this.tokens.findByDigest("r1").orElseThrow();
		assertThat(rotated.rotatedTo()).isEqualTo("id-r2");
		assertThat(rotated.retiresAt()).isEqualTo(retiresAt);
		assertThat(rotated.endsAt()).isEqualTo(retiresAt);
		assertThat(this.tokens.save(token("rae", "r2", this.now), Duration.ofDays(1), 1, this.now.plusSeconds(61)))
			.as("after its overlap, a rotated token no longer counts among the live ones")
			.isTrue();
		assertThat(this.tokens.markRotated(token("rae", "gone", this.now), "id-x", retiresAt, this.now))
			.isEqualTo(TokenRepository.Rotation.GONE);
	}

	@Test
	void touchAllWhenUsedFromManyAddressesThenTheLastFiveDistinctNewestFirst() {
		save(token("uma", "u1", this.now), Duration.ofDays(1));
		for (int i = 1; i <= 7; i++) {
			use("u1", "10.0.0." + i, this.now.plusSeconds(i));
		}
		use("u1", "10.0.0.5", this.now.plusSeconds(100));
		assertThat(this.tokens.findByDigest("u1").orElseThrow().recentUses())
			.extracting(PersonalAccessToken.Use::address)
			.containsExactly("10.0.0.5", "10.0.0.7", "10.0.0.6", "10.0.0.4", "10.0.0.3");
		use("u1", "10.0.0.5", this.now.plusSeconds(110));
		assertThat(this.tokens.findByDigest("u1").orElseThrow().recentUses().get(0).at())
			.as("the same address within the interval is not written again")
			.isEqualTo(this.now.plusSeconds(100));
	}

	@Test
	void touchAllWhenAnAddressIsNotAmongTheRecordedOnesThenAnsweredWithThoseBeforeIt() {
		save(token("ned", "a1", this.now), Duration.ofDays(1));
		LastUse first = new LastUse("a1", this.now, "10.0.0.1", "10.0.0.1");
		assertThat(this.tokens.touchAll(List.of(first), Duration.ofMinutes(1)))
			.containsExactly(Map.entry(first, List.of()));
		LastUse second = new LastUse("a1", this.now.plusSeconds(1), "10.0.0.2", "10.0.0.2");
		LastUse again = new LastUse("a1", this.now.plusSeconds(120), "10.0.0.1", "10.0.0.1");
		LastUse none = new LastUse("a1", this.now.plusSeconds(121), "client@10.0.0.9", null);
		assertThat(this.tokens.touchAll(List.of(second, again, none), Duration.ofMinutes(1)))
			.as("an address seen before, or no address, is not unseen")
			.containsExactly(Map.entry(second, List.of("10.0.0.1")));
		this.redis.delete(this.keys.token("a1"));
		assertThat(this.tokens.touchAll(List.of(new LastUse("a1", this.now.plusSeconds(200), "10.0.0.3", "10.0.0.3")),
				Duration.ofMinutes(1)))
			.as("a revoked token is not used")
			.isEmpty();
	}

	@Test
	void claimNoticeWhenStageAlreadySentThenRefusedEvenToAnotherInstance() {
		save(token("nia", "n1", this.now), Duration.ofDays(1));
		assertThat(this.schedule.noticesDue(this.now, 10)).as("first notice due 30 days before expiry").contains("n1");
		this.schedule.scheduleNotice("n1", this.now.plusSeconds(60));
		assertThat(this.schedule.noticesDue(this.now, 10)).doesNotContain("n1");
		assertThat(this.schedule.noticesDue(this.now.plusSeconds(60), 10)).contains("n1");
		assertThat(this.schedule.claimNotice("n1", 7)).contains("");
		assertThat(this.schedule.claimNotice("n1", 7)).isEmpty();
		assertThat(this.schedule.claimNotice("n1", 30)).as("an earlier stage after a later one is never sent")
			.isEmpty();
		assertThat(this.schedule.claimNotice("n1", 1)).contains("7");
		this.schedule.releaseNotice("n1", "7");
		assertThat(this.schedule.claimNotice("n1", 1)).as("a notice that could not be sent is tried again")
			.contains("7");
		assertThat(this.schedule.claimNotice("missing", 1)).isEmpty();
		this.schedule.unschedule("n1");
		assertThat(this.schedule.noticesDue(this.now.plus(Duration.ofDays(2)), 10)).doesNotContain("n1");
	}

	@Test
	void unusedClaimWhenAStepIsClaimedThenOnceAcrossInstancesAndAUseStartsANewRound() {
		save(token("una", "u1", this.now), Duration.ofDays(1));
		RedisUnusedTokenSchedule unused = new RedisUnusedTokenSchedule(this.redis, this.keys);
		RedisUnusedTokenSchedule otherInstance = new RedisUnusedTokenSchedule(this.redis, this.keys);
		IdleClock read = unused.clocks(List.of("una"), this.now).get(0);
		assertThat(read.lastUsedAt()).isNull();
		assertThat(read.idleSince()).isEqualTo(this.now);
		long week = Duration.ofDays(7).toMillis();
		long hour = Duration.ofHours(1).toMillis();
		assertThat(unused.claim(read, week, this.now, hour)).contains("");
		assertThat(otherInstance.clocks(List.of("una"), this.now).get(0).claimed())
			.as("the step claimed is read back, with when")
			.isEqualTo(new IdleClock.Step(Duration.ofDays(7), this.now));
		assertThat(otherInstance.claim(read, week, this.now, hour)).as("each stage once").isEmpty();
		assertThat(otherInstance.claim(read, Duration.ofDays(14).toMillis(), this.now, hour))
			.as("an earlier stage after a later one is never sent")
			.isEmpty();
		Optional<String> revocation = unused.claim(read, 0, this.now, hour);
		assertThat(revocation).isPresent();
		assertThat(otherInstance.claim(read, 0, this.now.plusSeconds(60), hour)).as("the revocation once").isEmpty();
		assertThat(otherInstance.claim(read, 0, this.now.plus(Duration.ofHours(1)), hour))
			.as("a claimed revocation whose claimer died is claimed again after the hold")
			.isPresent();
		unused.release("u1", revocation.get());

		touch("u1", this.now.plusSeconds(120));
		assertThat(unused.claim(read, 0, this.now.plusSeconds(180), hour)).as("used since it was read").isEmpty();
		IdleClock reread = unused.clocks(List.of("una"), this.now).get(0);
		assertThat(reread.idleSince()).isEqualTo(this.now.plusSeconds(120));
		assertThat(reread.claimed()).as("a step of an earlier round counts for nothing").isNull();
		assertThat(unused.claim(reread, week, this.now.plusSeconds(180), hour)).as("a new round").isPresent();
		assertThat(unused.claim(new IdleClock("una", "id-missing", "missing", this.now, null, this.now, false), 0,
				this.now, hour))
			.as("gone")
			.isEmpty();
		this.tokens.delete("una", "id-u1", "u1");
		unused.release("u1", "");
		assertThat(this.redis.hasKey(this.keys.token("u1"))).as("a release never recreates a revoked record").isFalse();
	}

	@Test
	void unusedClocksWhenOwnersHaveTokensThenReadFromTheirIndexesWhetherInTheDirectoryOrNot() {
		saveUser(user("dora", Set.of(), true));
		save(token("dora", "c1", this.now), Duration.ofDays(1));
		save(token("Elsewhere", "c2", this.now), Duration.ofDays(1));
		PersonalAccessToken rotated = token("Elsewhere", "c3", this.now);
		save(rotated, Duration.ofDays(1));
		this.tokens.markRotated(rotated, "id-c2", this.now.plus(Duration.ofHours(2)), this.now);
		RedisUnusedTokenSchedule unused = new RedisUnusedTokenSchedule(this.redis, this.keys);
		assertThat(unused.owners()).containsExactlyInAnyOrder("dora", "elsewhere");
		assertThat(unused.clocks(unused.owners(), this.now)).extracting(IdleClock::digest, IdleClock::rotated)
			.containsExactlyInAnyOrder(tuple("c1", false), tuple("c2", false), tuple("c3", true));
		assertThat(unused.clocks(unused.owners(), this.now.plus(Duration.ofHours(3))))
			.as("a token that stopped working is not read")
			.extracting(IdleClock::digest)
			.containsExactlyInAnyOrder("c1", "c2");
		this.tokens.delete("Elsewhere", "id-c2", "c2");
		this.tokens.delete("Elsewhere", "id-c3", "c3");
		assertThat(unused.clocks(unused.owners(), this.now)).extracting(IdleClock::digest).containsExactly("c1");
		assertThat(unused.owners()).as("an owner with no token left leaves the set").containsExactly("dora");
	}

	@Test
	void deleteWhenRevokedThenOffTheExpirySchedule() {
		save(token("dan", "x1", this.now), Duration.ofDays(1));
		this.tokens.delete("dan", "id-x1", "x1");
		assertThat(this.schedule.noticesDue(this.now.plus(Duration.ofDays(2)), 10)).doesNotContain("x1");
	}

	@Test
	void expiringBetweenWhenOwnersHaveTokensThenCountedPerOwnerFromTheirIndexes() {
		save(token("eve", "e1", this.now), Duration.ofDays(2));
		save(token("eve", "e2", this.now.plus(Duration.ofDays(10))), Duration.ofDays(20));
		save(token("fay", "f1", this.now.plus(Duration.ofDays(10))), Duration.ofDays(20));
		assertThat(this.tokens.expiringBetween(List.of("eve", "fay", "nobody"), this.now,
				this.now.plus(Duration.ofDays(7))))
			.containsExactly(Map.entry("eve", 1));
	}

	@Test
	void liveCountsWhenTokensExpiredRevokedOrRotatedThenOnlyTheLiveOnesPerOwner() {
		save(token("gus", "g1", this.now), Duration.ofDays(2));
		save(token("gus", "g2", this.now.minus(Duration.ofDays(2))), Duration.ofDays(3));
		save(token("gus", "g3", this.now), Duration.ofDays(2));
		this.tokens.delete("gus", "id-g3", "g3");
		save(token("gus", "g4", this.now), Duration.ofDays(2));
		this.tokens.markRotated(token("gus", "g4", this.now), "id-g5", this.now.plusSeconds(60), this.now);
		save(token("gus", "g5", this.now), Duration.ofDays(2));
		save(token("gus", "g6", this.now), Duration.ofDays(2));
		this.tokens.markRotated(token("gus", "g6", this.now), "id-g7", this.now, this.now);
		save(token("hal", "h1", this.now), Duration.ofDays(2));
		assertThat(this.tokens.liveCounts(List.of("gus", "hal", "nobody"), this.now))
			.as("g1, g5 and g4 in its overlap; not g2 (expired), g3 (revoked) nor g6 (retired)")
			.containsExactly(Map.entry("gus", 3), Map.entry("hal", 1));
		assertThat(this.tokens.liveCounts(List.of("gus"), this.now.plus(Duration.ofMinutes(2))))
			.containsExactly(Map.entry("gus", 2));
	}

	@Test
	void findRevokedWhenKeptThenListedAsItWasWithItsRevocationUntilItDrops() {
		PersonalAccessToken token = token("alice", "r1", this.now);
		this.tokens.saveRevoked(new RevokedToken(token, this.now, "admin", RevocationReason.UNUSED),
				this.now.plus(Duration.ofDays(2)), this.now);
		assertThat(this.tokens.findRevoked("Alice", this.now)).singleElement().satisfies((revoked) -> {
			assertThat(revoked.token().id()).isEqualTo("id-r1");
			assertThat(revoked.token().hint()).isEqualTo("lkp_…r1");
			assertThat(revoked.token().digest()).isEmpty();
			assertThat(revoked.token().scopes()).containsExactly("projects.read");
			assertThat(revoked.revokedBy()).isEqualTo("admin");
			assertThat(revoked.reason()).isEqualTo(RevocationReason.UNUSED);
		});
		assertThat(this.redis.opsForHash().values(this.keys.revokedOf("alice")))
			.noneMatch((listing) -> listing.toString().contains("digest"));
		assertThat(this.tokens.findRevoked("alice", this.now.plus(Duration.ofDays(2)))).isEmpty();
		assertThat(this.tokens.findRevoked("bob", this.now)).isEmpty();
		Long ttl = this.redis.getExpire(this.keys.revokedOf("alice"));
		assertThat(ttl).isBetween(Duration.ofDays(2).toSeconds() - 60, Duration.ofDays(2).toSeconds());
	}

	@Test
	void saveRevokedWhenAnOwnerRevokesMoreThanKeptThenTheSoonestToDropGo() {
		for (int i = 0; i < TokenRepository.KEEP_REVOKED + 3; i++) {
			this.tokens.saveRevoked(
					new RevokedToken(token("carol", "c" + i, this.now), this.now, "carol", RevocationReason.REQUESTED),
					this.now.plus(Duration.ofMinutes(10 + i)), this.now);
		}
		List<RevokedToken> kept = this.tokens.findRevoked("carol", this.now);
		assertThat(kept).hasSize(TokenRepository.KEEP_REVOKED);
		assertThat(kept).extracting((revoked) -> revoked.token().id()).doesNotContain("id-c0", "id-c1", "id-c2");
	}

	@Test
	void deleteUserWhenTokensWereRevokedThenTheirListingsGoWithIt() {
		saveUser(user("hal", Set.of(), true));
		this.tokens.saveRevoked(
				new RevokedToken(token("hal", "h1", this.now), this.now, "admin", RevocationReason.REPORTED),
				this.now.plus(Duration.ofDays(1)), this.now);
		this.directory.atomically((writes) -> {
			writes.deleteUser(this.directory.find("hal").orElseThrow());
			return null;
		});
		assertThat(this.tokens.findRevoked("hal", this.now)).isEmpty();
	}

	@Test
	void keysWhenDirectoryThenOneHashSlotSoScriptsWorkOnCluster() {
		int slot = SlotHash.getSlot(this.keys.users());
		assertThat(List.of(this.keys.user("a"), this.keys.user("zz"), this.keys.groups(), this.keys.tokensOf("a"),
				this.keys.members("g"), this.keys.directoryVersion(), this.keys.expiries(), this.keys.revokedOf("a"),
				this.keys.revokedDropsOf("a"), this.keys.tokenOwners()))
			.allSatisfy((key) -> assertThat(SlotHash.getSlot(key)).isEqualTo(slot));
		assertThat(SlotHash.getSlot(this.keys.token("abc"))).isEqualTo(SlotHash.getSlot("abc"));
	}

	private static PersonalAccessToken token(String owner, String digest, Instant createdAt) {
		return new PersonalAccessToken("id-" + digest, digest, "lkp_…" + digest, owner, "uid-" + owner, "desc",
				Set.of("projects.read"), createdAt, "admin", createdAt.plus(Duration.ofDays(1)), null, null,
				"id-" + digest, List.of(), null, null, List.of(), null, null, null);
	}

	private User user(String name, Set<String> groups, boolean enabled) {
		return new User(name, "uid-" + name, name, "{noop}pw", enabled, groups, this.now, "stamp-" + name, null);
	}

	private void saveUser(User user) {
		this.directory.atomically((writes) -> {
			writes.saveUser(user, this.directory.find(user.username()).map(User::groups).orElse(Set.of()));
			return null;
		});
	}

	private void saveGroup(String name, Set<String> rights) {
		this.directory.atomically((writes) -> {
			writes.saveGroup(name, rights);
			return null;
		});
	}

	private void touch(String digest, Instant at) {
		this.tokens.touchAll(List.of(new LastUse(digest, at, "127.0.0.1", "127.0.0.1")), Duration.ofMinutes(1));
	}

	private void use(String digest, String address, Instant at) {
		this.tokens.touchAll(List.of(new LastUse(digest, at, address, address)), Duration.ofMinutes(1));
	}

	private void save(PersonalAccessToken token, Duration retention) {
		assertThat(this.tokens.save(token, retention, 100, this.now)).isTrue();
	}

}
