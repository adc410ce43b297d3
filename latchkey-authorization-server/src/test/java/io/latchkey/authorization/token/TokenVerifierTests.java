package io.latchkey.authorization.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.latchkey.authorization.owner.OwnerDirectory;
import io.latchkey.authorization.owner.OwnerState;
import io.latchkey.core.TokenDigest;
import io.latchkey.core.TokenFormat;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/** The hot verification path alone, with the store and the owners as mocks. */
class TokenVerifierTests {

	private final TokenFormat format = new TokenFormat("lkp");

	private final TokenRepository tokens = mock(TokenRepository.class);

	private final OwnerDirectory owners = mock(OwnerDirectory.class);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

	private final LastUseRecorder lastUses = new LastUseRecorder(this.tokens, Duration.ofMinutes(1),
			Duration.ofSeconds(1), this.clock);

	private final List<Object> events = new ArrayList<>();

	private final TokenVerifier verifier = new TokenVerifier(this.format, this.tokens, this.owners, this.lastUses,
			this.events::add);

	private final String value = this.format.generate();

	@BeforeEach
	void clock() {
		this.verifier.setClock(this.clock);
	}

	@Test
	void constructorWhenOwnersNullThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TokenVerifier(this.format, this.tokens, null, this.lastUses, this.events::add))
			.withMessage("owners cannot be null");
	}

	@Test
	void verifyWhenChecksumBrokenThenInactiveWithoutAnyLookup() {
		String broken = this.value.substring(0, this.value.length() - 1) + (this.value.endsWith("A") ? "B" : "A");
		assertThat(this.verifier.verify(broken, "here")).isEmpty();
		assertThat(this.verifier.verify("ghp_" + this.value.substring(4), "here")).isEmpty();
		verifyNoInteractions(this.tokens, this.owners);
	}

	@Test
	void verifyWhenActiveThenOwnersCurrentRightsWithinTheNarrowingAndClaimsBuiltOnce() {
		stored(Set.of("projects.read", "tokens.self"), null);
		owner(true, "uid-1", Set.of("projects.read", "projects.write"));
		VerifiedToken verified = this.verifier.verify(this.value, "here").orElseThrow();
		assertThat(verified.scopes()).containsExactly("projects.read", "tokens.self");
		assertThat(verified.narrowed()).isTrue();
		assertThat(verified.claims()).containsEntry("sub", "alice")
			.containsEntry("jti", "id-1")
			.containsEntry("token_type", "Bearer")
			.containsEntry("scope", java.util.List.of("projects.read", "tokens.self"));
	}

	@Test
	void verifyWhenNotNarrowedThenEveryRightOfTheOwner() {
		stored(Set.of(), null);
		owner(true, "uid-1", Set.of("projects.read", "users.manage"));
		assertThat(this.verifier.verify(this.value, "here").orElseThrow().scopes()).containsExactly("projects.read",
				"users.manage");
	}

	@Test
	void verifyWhenExpiredThenInactiveWithoutAskingForTheOwner() {
		stored(Set.of(), null);
		this.clock.advance(Duration.ofDays(31));
		assertThat(this.verifier.verify(this.value, "here")).isEmpty();
		verifyNoInteractions(this.owners);
	}

	@Test
	void verifyWhenOwnerDisabledDeletedOrRecreatedThenInactive() {
		stored(Set.of(), null);
		owner(false, "uid-1", Set.of("projects.read"));
		assertThat(this.verifier.verify(this.value, "here")).isEmpty();
		owner(true, "uid-of-a-new-account", Set.of("projects.read"));
		assertThat(this.verifier.verify(this.value, "here")).isEmpty();
		given(this.owners.ownerState("alice")).willReturn(Optional.empty());
		assertThat(this.verifier.verify(this.value, "here")).isEmpty();
	}

	@Test
	void verifyWhenUsedWithinTheIntervalThenLastUseNotWrittenAgain() {
		stored(Set.of(), this.clock.instant().minusSeconds(30));
		owner(true, "uid-1", Set.of());
		this.verifier.verify(this.value, "here");
		this.lastUses.flush();
		verify(this.tokens, never()).touchAll(any(), any());
		this.clock.advance(Duration.ofSeconds(31));
		this.verifier.verify(this.value, "there");
		this.lastUses.flush();
		verify(this.tokens).touchAll(
				List.of(new LastUse(TokenDigest.of(this.value), this.clock.instant(), "there", "there")),
				Duration.ofMinutes(1));
	}

	private void stored(Set<String> scopes, Instant lastUsedAt) {
		Instant created = this.clock.instant();
		given(this.tokens.findByDigest(TokenDigest.of(this.value))).willReturn(Optional
			.of(new PersonalAccessToken("id-1", TokenDigest.of(this.value), "lkp_…", "alice", "uid-1", null, scopes,
					created, "alice", created.plus(Duration.ofDays(30)), lastUsedAt, "here", "id-1", List.of(), null,
					null, List.of(new PersonalAccessToken.Use("here", lastUsedAt)), null, null, null)));
	}

	private void owner(boolean enabled, String uid, Set<String> rights) {
		given(this.owners.ownerState("alice"))
			.willReturn(Optional.of(new OwnerState("alice", uid, enabled, rights, "stamp")));
	}

}
