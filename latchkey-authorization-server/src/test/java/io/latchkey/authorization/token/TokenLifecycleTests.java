package io.latchkey.authorization.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.authorization.support.RequestValidator;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import io.latchkey.core.event.EventType;
import io.latchkey.core.event.LatchkeyEvent;
import jakarta.validation.Validation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The lifecycle's rules for races and storage failures, with the store as a mock so that
 * the interleaving is exact. A rotation whose write the store fails to acknowledge (its
 * replicas did not confirm it in time, so it may still stand on the primary) fails, and
 * the token it touched is announced anyway, so that no verification cache keeps it
 * working; the same rule for revocations, users and groups runs against real replicas in
 * the auth server's {@code ReplicaAcknowledgementTests}. "Revoke all" reads again until
 * nothing is left, so that a rotation racing it leaves no successor behind.
 */
class TokenLifecycleTests {

	private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

	private static final Actor ADMIN = new Actor("admin", Set.of(RightsCatalog.TOKENS_MANAGE), NOW);

	private final TokenFormat format = new TokenFormat("lkp");

	private final TokenRepository tokens = mock(TokenRepository.class);

	private final OwnerDirectory owners = mock(OwnerDirectory.class);

	private final List<LatchkeyEvent> published = new ArrayList<>();

	@Test
	void rotateWhenMarkingTheOldTokenIsNotAcknowledgedThenFailsAndTheOldTokenIsAnnounced() {
		TokenRotation service = rotation(Duration.ZERO);
		String value = this.format.generate();
		PersonalAccessToken old = token("old", value, null);
		given(this.tokens.findByDigest(old.digest())).willReturn(Optional.of(old));
		given(this.tokens.save(any(), any(), anyInt(), any())).willReturn(true);
		given(this.tokens.markRotated(eq(old), anyString(), any(), any()))
			.willThrow(new DataAccessResourceFailureException("1 of 1 replicas did not acknowledge"));

		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> service.rotateSelf(value, new TokenRequests.Rotate(null)));
		assertThat(this.published).singleElement().satisfies((event) -> {
			assertThat(event.type()).isEqualTo(EventType.TOKEN_ROTATED);
			assertThat(event.tokenDigest()).isEqualTo(old.digest());
		});
	}

	@Test
	void rotateWhenRetiringThePredecessorIsNotAcknowledgedThenFailsAndThePredecessorIsAnnounced() {
		TokenRotation service = rotation(Duration.ofHours(1));
		String value = this.format.generate();
		PersonalAccessToken current = token("current", value, null);
		PersonalAccessToken predecessor = token("predecessor", this.format.generate(), "current");
		given(this.tokens.findByDigest(current.digest())).willReturn(Optional.of(current));
		given(this.tokens.findByOwner("alice")).willReturn(List.of(current, predecessor));
		given(this.tokens.save(any(), any(), anyInt(), any())).willReturn(true);
		given(this.tokens.markRotated(eq(current), anyString(), any(), any()))
			.willReturn(TokenRepository.Rotation.ROTATED);
		given(this.tokens.retire(predecessor, NOW))
			.willThrow(new DataAccessResourceFailureException("1 of 1 replicas did not acknowledge"));

		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> service.rotateSelf(value, new TokenRequests.Rotate(null)));
		assertThat(this.published).extracting(LatchkeyEvent::tokenDigest)
			.containsExactly(current.digest(), predecessor.digest());
	}

	@Test
	void revokeAllWhenARotationLandsBetweenTheReadAndTheDeletesThenItsSuccessorIsRevokedToo() {
		TokenRevocation service = revocation();
		PersonalAccessToken old = token("old", this.format.generate(), null);
		PersonalAccessToken successor = token("successor", this.format.generate(), null);
		given(this.tokens.findByOwner("alice")).willReturn(List.of(old), List.of(successor), List.of());
		given(this.tokens.delete(anyString(), anyString(), anyString()))
			.willReturn(new TokenRepository.Deletion(true, null));

		assertThat(service.revokeAll("alice", ADMIN)).isEqualTo(2);
		verify(this.tokens).delete("alice", "old", old.digest());
		verify(this.tokens).delete("alice", "successor", successor.digest());
		assertThat(this.published).extracting(LatchkeyEvent::type).containsExactly(EventType.USER_TOKENS_REVOKED);
	}

	@Test
	void revokeByValueWhenTheTokenWasRotatedBetweenTheReadAndTheDeleteThenItsSuccessorIsRevokedToo() {
		TokenRevocation service = revocation();
		String value = this.format.generate();
		PersonalAccessToken old = token("old", value, null);
		PersonalAccessToken successor = token("successor", this.format.generate(), null);
		given(this.tokens.findByDigest(old.digest())).willReturn(Optional.of(old));
		given(this.tokens.delete("alice", "old", old.digest()))
			.willReturn(new TokenRepository.Deletion(true, "successor"));
		given(this.tokens.findDigest("alice", "successor")).willReturn(Optional.of(successor.digest()));
		given(this.tokens.delete("alice", "successor", successor.digest()))
			.willReturn(new TokenRepository.Deletion(true, null));

		service.revokeByValue(value, "admin", "test");
		assertThat(this.published).extracting(LatchkeyEvent::tokenDigest)
			.containsExactly(old.digest(), successor.digest());
	}

	@Test
	void revokeByValueWhenAConcurrentRevocationDeletedTheTokenFirstThenThisOneDidNotRevokeIt() {
		TokenRevocation service = revocation();
		String value = this.format.generate();
		PersonalAccessToken token = token("leaked", value, null);
		given(this.tokens.findByDigest(token.digest())).willReturn(Optional.of(token));
		given(this.tokens.delete("alice", "leaked", token.digest()))
			.willReturn(new TokenRepository.Deletion(true, null), new TokenRepository.Deletion(false, null));

		Optional<TokenRevocation.Revoked> first = service.revokeByValue(value, "public-report",
				"api/credentials/revoke", RevocationReason.REPORTED);
		Optional<TokenRevocation.Revoked> second = service.revokeByValue(value, "github-secret-scanning",
				"api/secret-scanning/github", RevocationReason.REPORTED);

		assertThat(first).hasValueSatisfying((revoked) -> {
			assertThat(revoked.token().id()).isEqualTo("leaked");
			assertThat(revoked.now()).as("this call removed it: its owner is told").isTrue();
		});
		assertThat(second).as("both read the record before either deleted it").hasValueSatisfying((revoked) -> {
			assertThat(revoked.token().id()).isEqualTo("leaked");
			assertThat(revoked.now()).as("the other call removed it: its owner is not told twice").isFalse();
		});
	}

	@Test
	void revokeAllWhenTokensKeepAppearingThen409AndTheOwnersTokensAnnouncedAnyway() {
		TokenRevocation service = revocation();
		given(this.tokens.findByOwner("alice"))
			.willAnswer((invocation) -> List.of(token(UUID.randomUUID().toString(), this.format.generate(), null)));
		given(this.tokens.delete(anyString(), anyString(), anyString()))
			.willReturn(new TokenRepository.Deletion(true, null));

		assertThatExceptionOfType(ConflictException.class).isThrownBy(() -> service.revokeAll("alice", ADMIN))
			.withMessageContaining("disable the user");
		assertThat(this.published).extracting(LatchkeyEvent::type).containsExactly(EventType.USER_TOKENS_REVOKED);
	}

	private TokenRotation rotation(Duration rotationOverlap) {
		TokenRotation rotation = new TokenRotation(this.tokens, owners(), policy(rotationOverlap), access(),
				mock(AuditLog.class), this.published::add, validator());
		rotation.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		return rotation;
	}

	private TokenRevocation revocation() {
		TokenRevocation revocation = new TokenRevocation(this.tokens, owners(), policy(Duration.ZERO), access(),
				mock(AuditLog.class), this.published::add, validator());
		revocation.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		return revocation;
	}

	private static TokenPolicy policy(Duration rotationOverlap) {
		return new TokenPolicy("lkp", Duration.ofDays(30), Duration.ofDays(365), Duration.ofMinutes(1),
				Duration.ofDays(30), 100, Duration.ofSeconds(1), rotationOverlap, TokenPolicy.ReusePolicy.ALERT,
				List.of(), null, TokenPolicy.Approval.none());
	}

	private OwnerDirectory owners() {
		given(this.owners.ownerState("alice"))
			.willReturn(Optional.of(new OwnerState("alice", "uid-alice", true, Set.of("projects.read"), "stamp")));
		return this.owners;
	}

	private static AccessPolicy access() {
		AccessPolicy access = new AccessPolicy(Duration.ofMinutes(5));
		access.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		return access;
	}

	private static RequestValidator validator() {
		return new RequestValidator(Validation.buildDefaultValidatorFactory().getValidator());
	}

	/**
	 * A live token of alice's; with {@code rotatedTo}, one rotated to that token and in
	 * its overlap.
	 */
	private static PersonalAccessToken token(String id, String value, @Nullable String rotatedTo) {
		Instant retiresAt = (rotatedTo != null) ? NOW.plus(Duration.ofMinutes(30)) : null;
		return new PersonalAccessToken(id, TokenDigest.of(value), "lkp_…" + id, "alice", "uid-alice", null, Set.of(),
				NOW.minus(Duration.ofDays(1)), "alice", NOW.plus(Duration.ofDays(29)), null, null, "family-1",
				List.of(), rotatedTo, retiresAt, List.of(), null, null, null);
	}

}
