package io.latchkey.authorization.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import io.latchkey.authorization.error.NotAllowedException;
import io.latchkey.authorization.error.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The rules of who may do what, one decision at a time; each refusal names its rule. */
class AccessPolicyTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	private static final Set<String> ALL = Set.of("users.manage", "tokens.manage", "audit.read", "projects.read");

	private final AccessPolicy policy = policy();

	private final Actor admin = new Actor("admin", ALL, NOW);

	private final Actor staleAdmin = new Actor("admin", ALL, NOW.minus(Duration.ofMinutes(16)));

	private final Actor adminToken = new Actor("admin", ALL, null);

	private final Account robot = new Account("robot", Set.of("projects.read"), false, true);

	private final Account person = new Account("person", Set.of("projects.read"), true, true);

	@Test
	void mayHearOfTokenWhenTheReceiverIsNotInTheTokensAudienceThenNo() {
		assertThat(this.policy.mayHearOfToken("billing", Set.of("resource-api"))).isFalse();
		assertThat(this.policy.mayHearOfToken("resource-api", Set.of("resource-api", "billing"))).isTrue();
		assertThat(this.policy.mayHearOfToken("billing", null)).isTrue();
		assertThat(this.policy.mayHearOfToken("billing", Set.of())).isFalse();
	}

	@Test
	void mayManageSignalStreamWhenNotAllowedOrWithoutTheScopeThenNo() {
		Set<String> allowed = Set.of("resource-api");
		assertThat(this.policy.mayManageSignalStream("resource-api", Set.of("ssf.stream"), allowed)).isTrue();
		assertThat(this.policy.mayManageSignalStream("stranger", Set.of("ssf.stream"), allowed)).isFalse();
		assertThat(this.policy.mayManageSignalStream("resource-api", Set.of("projects.read"), allowed)).isFalse();
	}

	@Test
	void readUserWhenTheUserHoldsARightTheActorLacksThenOutrank() {
		Actor manager = new Actor("manager", Set.of("users.manage"), NOW);
		assertRefusedBy(Rule.OUTRANK, () -> this.policy.readUser(manager, this.person));
		assertThat(this.policy.maySee(manager, this.person)).isFalse();
		assertDoesNotThrow(() -> this.policy.readUser(this.admin, this.person));
	}

	@Test
	void bearerTokenWhenItWouldCreateOrExtendAPasswordCredentialThenTokenNeverExtends() {
		assertRefusedBy(Rule.TOKEN_NEVER_EXTENDS,
				() -> this.policy.createUser(this.adminToken, true, Set.of(), Set.of()));
		assertRefusedBy(Rule.TOKEN_NEVER_EXTENDS, () -> this.policy.changeUser(this.adminToken, this.person,
				new AccessPolicy.UserChange(false, Set.of("users.manage"), false)));
		assertRefusedBy(Rule.TOKEN_NEVER_EXTENDS, () -> this.policy.changeUser(this.adminToken,
				new Account("person", Set.of(), true, false), new AccessPolicy.UserChange(false, null, true)));
		assertRefusedBy(Rule.TOKEN_NEVER_EXTENDS,
				() -> this.policy.changeGroup(this.adminToken, Set.of(), Set.of("users.manage"), true));
		assertRefusedBy(Rule.TOKEN_NEVER_EXTENDS,
				() -> this.policy.generateToken(this.adminToken, this.robot, Set.of()));
		assertDoesNotThrow(() -> this.policy.changeUser(this.adminToken, this.robot,
				new AccessPolicy.UserChange(false, Set.of("users.manage"), false)));
		assertDoesNotThrow(() -> this.policy.changeGroup(this.adminToken, Set.of(), Set.of("users.manage"), false));
	}

	@Test
	void staleSessionWhenGrantingThenFreshPasswordAndWhenRemovingThenAllowed() {
		assertRefusedBy(Rule.FRESH_PASSWORD, () -> this.policy.createUser(this.staleAdmin, true, Set.of(), Set.of()));
		assertRefusedBy(Rule.FRESH_PASSWORD, () -> this.policy.createGroup(this.staleAdmin, Set.of("audit.read")));
		assertRefusedBy(Rule.FRESH_PASSWORD, () -> this.policy.generateToken(this.staleAdmin, this.robot, Set.of()));
		assertDoesNotThrow(() -> this.policy.deleteUser(this.staleAdmin, this.person));
		assertDoesNotThrow(() -> this.policy.revokeTokens(this.staleAdmin, "person"));
	}

	@Test
	void grantingARightTheActorLacksThenNoEscalation() {
		Actor manager = new Actor("manager", Set.of("users.manage"), NOW);
		assertRefusedBy(Rule.NO_ESCALATION, () -> this.policy.createGroup(manager, Set.of("tokens.manage")));
		assertRefusedBy(Rule.NO_ESCALATION,
				() -> this.policy.createUser(manager, false, Set.of("g"), Set.of("projects.read")));
	}

	@Test
	void tokenForSomebodyElseThenItsCeilingIsTheMakersRightsWithinTheScopes() {
		Actor helpdesk = new Actor("helpdesk", Set.of("tokens.manage", "projects.read"), NOW);
		Account newcomer = new Account("newcomer", Set.of(), false, true);
		assertThat(this.policy.generateToken(helpdesk, newcomer, Set.of())).containsExactlyInAnyOrder("tokens.manage",
				"projects.read");
		assertThat(this.policy.generateToken(helpdesk, newcomer, Set.of("projects.read", "audit.read")))
			.containsExactly("projects.read");
		assertThat(this.policy.generateToken(this.admin, new Account("admin", ALL, true, true), Set.of())).isNull();
		assertThat(AccessPolicy.effectiveScopes(ALL, Set.of(), Set.of("projects.read")))
			.containsExactly("projects.read");
	}

	@Test
	void revokingWhenTheOwnerOutranksTheActorThenStillAllowed() {
		Actor helpdesk = new Actor("helpdesk", Set.of("tokens.manage"), null);
		assertDoesNotThrow(() -> this.policy.revokeTokens(helpdesk, "admin"));
		assertRefusedBy(Rule.OUTRANK, () -> this.policy.listTokens(helpdesk, new Account("admin", ALL, true, true)));
	}

	@Test
	void mayListTokensWhenOwnOrOutrankedWithTokensManageThenTrueLikeListTokens() {
		Actor manager = new Actor("manager", Set.of("users.manage", "projects.read"), NOW);
		Actor helpdesk = new Actor("helpdesk", Set.of("tokens.manage", "projects.read"), NOW);
		assertThat(this.policy.mayListTokens(manager, new Account("manager", Set.of(), true, true))).isTrue();
		assertThat(this.policy.mayListTokens(manager, this.person)).as("tokens.manage is needed").isFalse();
		assertThat(this.policy.mayListTokens(helpdesk, this.person)).isTrue();
		assertThat(this.policy.mayListTokens(helpdesk, new Account("admin", ALL, true, true))).as("outranked only")
			.isFalse();
		assertRefusedBy(Rule.RIGHT_REQUIRED, () -> this.policy.listTokens(manager, this.person));
	}

	@Test
	void decideTokenRequestWhenOwnOrOutrankedOrWithoutTokensManageThenRefusedByItsRule() {
		Actor manager = new Actor("manager", Set.of("tokens.manage", "projects.read"), NOW);
		Account boss = new Account("boss", Set.of("projects.read", "audit.read"), true, true);
		Account adminAccount = new Account("admin", ALL, true, true);
		assertRefusedBy(Rule.OWN_REQUEST, () -> this.policy.decideTokenRequest(this.admin, adminAccount, adminAccount));
		assertRefusedBy(Rule.OUTRANK, () -> this.policy.decideTokenRequest(manager, boss, boss));
		assertRefusedBy(Rule.RIGHT_REQUIRED, () -> this.policy
			.decideTokenRequest(new Actor("reader", Set.of("projects.read"), NOW), this.person, this.person));
		assertRefusedBy(Rule.TOKEN_NEVER_EXTENDS,
				() -> this.policy.decideTokenRequest(this.adminToken, this.person, this.person));
		assertRefusedBy(Rule.FRESH_PASSWORD,
				() -> this.policy.decideTokenRequest(this.staleAdmin, this.person, this.person));
		assertDoesNotThrow(() -> this.policy.decideTokenRequest(manager, this.person, this.person));
		assertThat(this.policy.mayDecideTokenRequest(manager, this.person, this.person)).isTrue();
		assertThat(this.policy.mayDecideTokenRequest(manager, boss, boss)).isFalse();
		assertThat(this.policy.mayDecideTokenRequest(this.admin, adminAccount, adminAccount)).isFalse();
	}

	@Test
	void decideTokenRequestWhenApproverMadeItOrOutranksOnlyTheOwnerThenRefused() {
		Account maker = new Account("maker", Set.of("tokens.manage", "projects.read"), true, true);
		Account service = new Account("svc", Set.of("projects.read"), false, true);
		Actor makerActing = new Actor("maker", maker.rights(), NOW);
		Actor readerManager = new Actor("reader-manager", Set.of("tokens.manage", "projects.read"), NOW);
		Account bigMaker = new Account("big-maker", Set.of("tokens.manage", "projects.read", "audit.read"), true, true);

		assertRefusedBy(Rule.OWN_REQUEST, () -> this.policy.decideTokenRequest(makerActing, service, maker));
		assertThat(this.policy.mayDecideTokenRequest(makerActing, service, maker)).isFalse();
		assertRefusedBy(Rule.OWN_REQUEST, () -> this.policy
			.decideTokenRequest(new Actor("svc", Set.of("tokens.manage", "projects.read"), NOW), service, maker));
		assertRefusedBy(Rule.OUTRANK, () -> this.policy.decideTokenRequest(readerManager, service, bigMaker));
		assertThat(this.policy.mayDecideTokenRequest(readerManager, service, bigMaker)).isFalse();
		assertDoesNotThrow(() -> this.policy.decideTokenRequest(readerManager, service, maker));
		assertDoesNotThrow(() -> this.policy.decideTokenRequest(this.admin, service, bigMaker));
		assertThat(this.policy.mayDecideTokenRequest(this.admin, service, bigMaker)).isTrue();
	}

	@Test
	void browseTokensWhenTokensManageMissingThenRefusedEvenForOnesOwnTokens() {
		Actor manager = new Actor("manager", Set.of("users.manage", "projects.read"), NOW);
		Actor helpdesk = new Actor("helpdesk", Set.of("tokens.manage"), NOW);
		assertRefusedBy(Rule.RIGHT_REQUIRED, () -> this.policy.browseTokens(manager));
		this.policy.browseTokens(helpdesk);
	}

	@Test
	void exchangeScopesWhenTheClientIsRegisteredWithScopesThenWithinThem() {
		assertThat(AccessPolicy.exchangeScopes(ALL, Set.of("projects.read"), Set.of()))
			.containsExactly("projects.read");
		assertThat(AccessPolicy.exchangeScopes(ALL, Set.of("projects.read"), Set.of("users.manage"))).isNull();
		assertThat(AccessPolicy.exchangeScopes(Set.of("projects.read"), Set.of(), Set.of("projects.read")))
			.containsExactly("projects.read");
	}

	private static void assertRefusedBy(Rule rule, Executable decision) {
		NotAllowedException refused = assertThrows(NotAllowedException.class, decision);
		assertThat(refused.rule()).isEqualTo(rule);
	}

	private static AccessPolicy policy() {
		AccessPolicy policy = new AccessPolicy(Duration.ofMinutes(15));
		policy.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		return policy;
	}

}
