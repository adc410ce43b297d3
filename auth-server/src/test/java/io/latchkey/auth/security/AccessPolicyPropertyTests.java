package io.latchkey.auth.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.latchkey.auth.Http;
import io.latchkey.auth.LatchkeyAuthServerApplication;
import io.latchkey.auth.PortalSession;
import io.latchkey.authorization.access.Actor;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.approval.TokenApprovals;
import io.latchkey.authorization.approval.TokenRequestViews;
import io.latchkey.authorization.directory.Directory;
import io.latchkey.authorization.directory.GroupService;
import io.latchkey.authorization.directory.User;
import io.latchkey.authorization.directory.UserRequests;
import io.latchkey.authorization.directory.UserService;
import io.latchkey.authorization.token.TokenIssuer;
import io.latchkey.authorization.token.TokenRequests;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.token.TokenViews;
import io.latchkey.authorization.token.VerifiedToken;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.RealRedis;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy as a whole, attacked: generated directories (groups with random subsets of
 * the catalog, users with and without passwords, tokens narrowed or not, made by their
 * owners or by an administrator) and sequences of up to 20 API calls by an attacker who
 * holds one low account (over HTTP Basic, and as a session whose password may be stale)
 * and some stolen tokens, against the real auth server on real Redis. After every step
 * five invariants hold:
 * <ol>
 * <li>no account whose password the attacker knows or set holds a right it did not hold
 * at the start, unless the attacker's own account held that right with a password;</li>
 * <li>every token's effective scope is within its ceiling and its owner's current
 * rights;</li>
 * <li>some enabled password account holds every right;</li>
 * <li>no revoked token, revoked directly or through its rotation chain, introspects
 * active;</li>
 * <li>the credentials inventory ({@code GET /api/tokens}, {@code POST
 * /api/tokens/revoke-selection}) never lists nor revokes a token of a user who outranks
 * the caller.</li>
 * </ol>
 * Each user has a token request (with {@code projects.write} needing approval), half of
 * them approved; the attacker has asked for a token for each user it may make tokens for,
 * and the full administrator for one of the attacker's. The attacker decides requests
 * only with a password, holding {@code tokens.manage} and every right of the owner and of
 * whoever asked, never one it made or one for its own token, and claims only the approved
 * ones it asked for, whose tokens stay within the rights approved (and, for somebody
 * else's, the attacker's rights at the claim), checked as a ceiling by invariant 2. Each
 * try starts from an empty directory of its own. Counterexamples it shrank to are kept as
 * named tests in the classes of the rules they broke.
 */
class AccessPolicyPropertyTests {

	/** Sequences one run tries; 1,000 on the default standalone Redis. */
	static final int TRIES = 1000;

	private static final List<String> CATALOG = List.of("users.manage", "tokens.manage", "audit.read", "projects.read",
			"projects.write");

	private static final String PREFIX = "lkpbt-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String ATTACKER_PASSWORD = "attacker-password";

	private static final AtomicInteger runs = new AtomicInteger();

	private static final List<String> OPERATIONS = List.of("change groups", "set password", "enable/disable",
			"create user", "delete user", "change group rights", "create group", "delete group", "generate for user",
			"generate own", "rotate by id", "rotate itself", "revoke by id", "revoke by string", "revoke all",
			"read user", "decide request", "claim request", "list the inventory", "revoke a selection");

	private static ConfigurableApplicationContext app;

	@BeforeContainer
	static void start() {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--latchkey.redis.key-prefix=" + PREFIX,
				"--latchkey.redis.events-channel=" + PREFIX + ":events", "--latchkey.admin.password=pbt-admin-password",
				"--latchkey.throttle.enabled=false", "--latchkey.tokens.max-per-user=1000",
				"--latchkey.tokens.approval.required-for=projects.write"));
		arguments.addAll(RealRedis.arguments());
		app = new SpringApplicationBuilder(LatchkeyAuthServerApplication.class, FastHashing.class)
			.run(arguments.toArray(String[]::new));
	}

	@AfterContainer
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Property(tries = TRIES, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
	void noAttackerSequenceBreaksTheInvariants(@ForAll("scenarios") Scenario scenario) {
		new Run(scenario, runs.incrementAndGet()).play();
	}

	// What is generated

	/** A directory, an attacker in it, the tokens it stole, and what it does. */
	record Scenario(List<Set<String>> groups, List<UserSpec> users, Set<Integer> attackerGroups, List<TokenSpec> tokens,
			Set<Integer> stolen, boolean staleSession, List<Step> steps) {
	}

	/** A user: a password or none (a service account), and the indexes of its groups. */
	record UserSpec(boolean password, Set<Integer> groups) {
	}

	/**
	 * A token of user {@code owner} (an index), narrowed to {@code scopes} or not, made
	 * by {@code maker}: 0 its owner, else the user of that index (if it may: else the
	 * full administrator).
	 */
	record TokenSpec(int owner, boolean narrowed, Set<String> scopes, int maker) {
	}

	/** One call: who makes it, what it is, on what, with which subset and flag. */
	record Step(int actor, int operation, int target, int other, int subset, boolean flag) {
	}

	@Provide
	Arbitrary<Scenario> scenarios() {
		Arbitrary<Set<String>> rights = Arbitraries.of(CATALOG).set().ofMaxSize(CATALOG.size());
		Arbitrary<List<Set<String>>> groups = rights.list().ofMinSize(1).ofMaxSize(4);
		Arbitrary<Set<Integer>> groupIndexes = Arbitraries.integers().between(0, 4).set().ofMaxSize(3);
		Arbitrary<UserSpec> user = Combinators.combine(Arbitraries.of(true, false), groupIndexes).as(UserSpec::new);
		Arbitrary<Set<String>> scopes = Arbitraries.of(List.of("users.manage", "tokens.manage", "audit.read",
				"projects.read", "projects.write", RightsCatalog.SELF_SCOPE))
			.set()
			.ofMaxSize(3);
		Arbitrary<TokenSpec> token = Combinators
			.combine(Arbitraries.integers().between(0, 6), Arbitraries.of(true, false), scopes,
					Arbitraries.integers().between(0, 6))
			.as(TokenSpec::new);
		Arbitrary<Step> step = Combinators
			.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, OPERATIONS.size() - 1),
					Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9),
					Arbitraries.integers().between(0, 63), Arbitraries.of(true, false))
			.as(Step::new);
		return Combinators
			.combine(groups, user.list().ofMinSize(1).ofMaxSize(4), groupIndexes, token.list().ofMaxSize(5),
					Arbitraries.integers().between(0, 4).set().ofMaxSize(4), Arbitraries.of(true, false),
					step.list().ofMinSize(1).ofMaxSize(20))
			.as(Scenario::new)
			.filter((scenario) -> !attackerRights(scenario).containsAll(CATALOG));
	}

	private static Set<String> attackerRights(Scenario scenario) {
		Set<String> rights = new TreeSet<>();
		scenario.attackerGroups()
			.forEach((index) -> rights.addAll(scenario.groups().get(index % scenario.groups().size())));
		return rights;
	}

	/**
	 * BCrypt at its lowest cost: thousands of sign-ins per run, and hashing is not what
	 * is tested.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FastHashing {

		@Bean
		@Primary
		MutableClock pbtClock() {
			return MutableClock.startingNow();
		}

		@Bean
		@Primary
		PasswordEncoder fastPasswordEncoder() {
			return new DelegatingPasswordEncoder("bcrypt",
					Map.of("bcrypt", new BCryptPasswordEncoder(4), "noop", NoOpPasswordEncoder.getInstance()));
		}

	}

	// One try

	/**
	 * One scenario played against the server, with the model the invariants are checked
	 * against.
	 */
	private static final class Run {

		private final Scenario scenario;

		private final String tag;

		private final UserService users = app.getBean(UserService.class);

		private final GroupService groups = app.getBean(GroupService.class);

		private final TokenIssuer tokens = app.getBean(TokenIssuer.class);

		private final TokenVerifier verifier = app.getBean(TokenVerifier.class);

		private final Directory directory = app.getBean(Directory.class);

		private final TokenApprovals approvals = app.getBean(TokenApprovals.class);

		/** Token requests of the try: pending, or approved by the full administrator. */
		private final List<TokenRequestViews.ListedRequest> requests = new ArrayList<>();

		private final MutableClock clock = app.getBean(MutableClock.class);

		private final String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");

		private final List<String> groupNames = new ArrayList<>();

		private final List<String> userNames = new ArrayList<>();

		private final String attacker;

		/** Accounts whose password the attacker knows, with it. */
		private final Map<String, String> knownPasswords = new LinkedHashMap<>();

		private final Map<String, Set<String>> startRights = new HashMap<>();

		private Set<String> attackerStartRights = Set.of();

		/** Every token of the try, and what the attacker holds of them. */
		private final List<TokenModel> allTokens = new ArrayList<>();

		private final List<TokenModel> held = new ArrayList<>();

		private PortalSession session;

		private int lastStatus;

		private final List<String> log = new ArrayList<>();

		Run(Scenario scenario, int number) {
			this.scenario = scenario;
			this.tag = "t" + number;
			this.attacker = this.tag + "-attacker";
		}

		void play() {
			wipe();
			setUp();
			checkInvariants("after set-up");
			for (Step step : this.scenario.steps()) {
				this.lastStatus = 0;
				String what = act(step);
				this.log.add(what);
				Statistics.label("calls")
					.collect(OPERATIONS.get(step.operation()),
							(this.lastStatus == 0) ? "not made" : (this.lastStatus < 300) ? "done" : "refused");
				checkInvariants(what);
			}
		}

		/**
		 * An empty directory: nothing of the previous try (the signing keys and sessions
		 * stay).
		 */
		private void wipe() {
			StringRedisTemplate redis = app.getBean(StringRedisTemplate.class);
			for (String pattern : List.of(PREFIX + ":{dir}:*", PREFIX + ":token:*", PREFIX + ":{approvals}:*")) {
				Set<String> keys = redis.keys(pattern);
				for (String key : keys) {
					redis.delete(key);
				}
			}
		}

		private void setUp() {
			Actor system = new Actor("pbt-system", Set.copyOf(CATALOG), this.clock.instant());
			String admins = this.tag + "-admins";
			this.groups.create(admins, CATALOG, system);
			String root = this.tag + "-root";
			this.users.create(new UserRequests.CreateUser(root, null, "root-password", List.of(admins), true), system);
			for (int i = 0; i < this.scenario.groups().size(); i++) {
				String name = this.tag + "-g" + i;
				this.groups.create(name, List.copyOf(this.scenario.groups().get(i)), system);
				this.groupNames.add(name);
			}
			for (int i = 0; i < this.scenario.users().size(); i++) {
				UserSpec spec = this.scenario.users().get(i);
				String name = this.tag + "-u" + i;
				this.users.create(new UserRequests.CreateUser(name, null, spec.password() ? "user-password-" + i : null,
						groupsOf(spec.groups()), true), system);
				this.userNames.add(name);
			}
			this.users.create(new UserRequests.CreateUser(this.attacker, null, ATTACKER_PASSWORD,
					groupsOf(this.scenario.attackerGroups()), true), system);
			this.userNames.add(this.attacker);
			this.userNames.add(root);
			this.groupNames.add(admins);
			this.knownPasswords.put(this.attacker, ATTACKER_PASSWORD);
			for (String name : this.userNames) {
				this.startRights.put(name, rightsOf(name));
			}
			this.attackerStartRights = rightsOf(this.attacker);
			for (TokenSpec spec : this.scenario.tokens()) {
				String owner = this.userNames.get(spec.owner() % this.userNames.size());
				String maker = (spec.maker() == 0) ? owner
						: this.userNames.get((spec.maker() - 1) % this.userNames.size());
				if (!mayMake(maker, owner)) {
					maker = root;
				}
				Set<String> scopes = spec.narrowed() ? spec.scopes() : Set.of();
				Actor actor = new Actor(maker, rightsOf(maker), this.clock.instant());
				TokenViews.Created created = this.tokens.generate(owner, actor,
						new TokenRequests.Generate(null, null, List.copyOf(scopes), null, null, null));
				this.allTokens.add(new TokenModel(created.token(), created.id(), owner, scopes,
						maker.equals(owner) ? null : intersect(actor.rights(), scopes)));
			}
			Actor rootActor = new Actor(root, Set.copyOf(CATALOG), this.clock.instant());
			for (String name : this.userNames) {
				Actor requester = new Actor(name, rightsOf(name), this.clock.instant());
				if (name.equals(root) || !this.directory.find(name).map(User::enabled).orElse(false)) {
					continue;
				}
				TokenRequestViews.ListedRequest request = this.approvals.request(requester,
						new TokenRequests.Generate(null, null, null, null, null, null));
				if (this.requests.size() % 2 == 0) {
					request = this.approvals.approve(request.id(), rootActor, new TokenRequestViews.Decision("pbt"));
				}
				this.requests.add(request);
			}
			Actor attackerActor = new Actor(this.attacker, rightsOf(this.attacker), this.clock.instant());
			TokenRequests.Generate writing = new TokenRequests.Generate(null, null, List.of("projects.write"), null,
					null, null);
			for (String name : this.userNames) {
				if (!name.equals(root) && !name.equals(this.attacker) && mayMake(this.attacker, name)
						&& this.directory.find(name).map(User::enabled).orElse(false)) {
					TokenRequestViews.ListedRequest request = this.approvals.generate(name, attackerActor, writing)
						.request();
					if (this.requests.size() % 2 == 0) {
						request = this.approvals.approve(request.id(), rootActor,
								new TokenRequestViews.Decision("pbt"));
					}
					this.requests.add(request);
				}
			}
			if (this.directory.find(this.attacker).map(User::enabled).orElse(false)) {
				this.requests.add(this.approvals.generate(this.attacker, rootActor, writing).request());
			}
			for (int index : this.scenario.stolen()) {
				if (index < this.allTokens.size()) {
					this.held.add(this.allTokens.get(index));
				}
			}
			this.session = new PortalSession(this.base).signedIn(this.attacker, ATTACKER_PASSWORD);
			if (this.scenario.staleSession()) {
				this.clock.advance(Duration.ofMinutes(16));
			}
		}

		/**
		 * Whether {@code maker} could generate a token for {@code owner}: a password, and
		 * its own or outranking it.
		 */
		private boolean mayMake(String maker, String owner) {
			if (!this.users.find(maker).hasPassword()) {
				return false;
			}
			Set<String> rights = rightsOf(maker);
			return maker.equals(owner) || (rights.contains("tokens.manage") && rights.containsAll(rightsOf(owner)));
		}

		// The attacker's calls

		private String act(Step step) {
			int actors = 2 + this.held.size();
			int actor = step.actor() % actors;
			String user = (step.target() % 3 == 0) ? this.attacker : pick(this.userNames, step.target());
			String group = pick(this.groupNames, step.other());
			List<String> subsetOfGroups = subset(this.groupNames, step.subset());
			List<String> subsetOfRights = subset(CATALOG, step.subset());
			TokenModel token = this.allTokens.isEmpty() ? null
					: this.allTokens.get(step.other() % this.allTokens.size());
			return switch (step.operation()) {
				case 0 -> call(actor, "PATCH", "/api/users/" + user, Map.of("groups", subsetOfGroups), (response) -> {
				});
				case 1 -> {
					String password = "set-by-attacker-" + step.subset();
					yield call(actor, "PATCH", "/api/users/" + user, Map.of("password", password), (response) -> {
						if (response.status() == 200) {
							this.knownPasswords.put(user, password);
						}
					});
				}
				case 2 -> call(actor, "PATCH", "/api/users/" + user, Map.of("enabled", step.flag()), (response) -> {
				});
				case 3 -> {
					String name = this.tag + "-new" + this.userNames.size();
					Map<String, Object> body = new LinkedHashMap<>(Map.of("username", name, "groups", subsetOfGroups));
					if (step.flag()) {
						body.put("password", "created-by-attacker");
					}
					yield call(actor, "POST", "/api/users", body, (response) -> {
						if (response.status() == 201) {
							this.userNames.add(name);
							this.startRights.put(name, Set.of());
							if (step.flag()) {
								this.knownPasswords.put(name, "created-by-attacker");
							}
						}
					});
				}
				case 4 -> call(actor, "DELETE", "/api/users/" + user, null, (response) -> {
				});
				case 5 -> call(actor, "PUT", "/api/groups/" + group, Map.of("name", group, "rights", subsetOfRights),
						(response) -> {
						});
				case 6 -> {
					String name = this.tag + "-ng" + this.groupNames.size();
					yield call(actor, "POST", "/api/groups", Map.of("name", name, "rights", subsetOfRights),
							(response) -> {
								if (response.status() == 201) {
									this.groupNames.add(name);
								}
							});
				}
				case 7 -> call(actor, "DELETE", "/api/groups/" + group, null, (response) -> {
				});
				case 8, 9 -> generate(actor, step.operation() == 9 ? this.attacker : user, subsetOfRights, step.flag());
				case 10 -> (token != null) ? rotateById(actor, token) : "no token to rotate";
				case 11 -> selfRotate(step);
				case 12 ->
					(token != null) ? call(actor, "DELETE", "/api/users/" + token.owner() + "/tokens/" + token.id(),
							null, (response) -> revoked(response.status() == 204, token)) : "no token to revoke";
				case 13 -> (token != null) ? call(actor, "POST", "/api/tokens/revoke", Map.of("token", token.value()),
						(response) -> revoked(response.status() == 204, token)) : "no token to revoke";
				case 14 -> call(actor, "DELETE", "/api/users/" + user + "/tokens", null, (response) -> {
					if (response.status() == 200) {
						this.allTokens.stream()
							.filter((each) -> each.owner().equals(user))
							.forEach(this::revokedWithChain);
					}
				});
				case 15 -> call(actor, "GET", "/api/users/" + user, null, (response) -> {
				});
				case 16 -> this.requests.isEmpty() ? "no request to decide"
						: decide(actor, this.requests.get(step.other() % this.requests.size()), step.flag());
				case 17 -> this.requests.isEmpty() ? "no request to claim"
						: claim(actor, this.requests.get(step.other() % this.requests.size()));
				case 18 -> inventory(actor, step.flag() ? "&owner=" + user : "");
				default -> revokeSelection(actor, user);
			};
		}

		/**
		 * Approves or denies a token request: allowed only with a password, holding
		 * {@code tokens.manage} and every right of its requester, never one's own.
		 */
		private String decide(int actor, TokenRequestViews.ListedRequest request, boolean approve) {
			Set<String> deciderRights = actorRights(actor);
			Set<String> requesterRights = new TreeSet<>(rightsOf(request.requester()));
			requesterRights.addAll(rightsOf(request.requestedBy()));
			return call(actor, "POST", "/api/token-requests/" + request.id() + (approve ? "/approve" : "/deny"),
					Map.of("reason", "decided by the attacker"), (response) -> {
						if (response.status() == 200) {
							assertThat(actor).as("a bearer token decided a token request").isLessThan(2);
							assertThat(request.requester()).as("the attacker decided its own request")
								.isNotEqualTo(this.attacker);
							assertThat(request.requestedBy()).as("the attacker decided a request it made")
								.isNotEqualTo(this.attacker);
							assertThat(deciderRights).as("the decider outranks the requester with tokens.manage")
								.contains(RightsCatalog.TOKENS_MANAGE)
								.containsAll(requesterRights);
						}
					});
		}

		/**
		 * Claims a token request: only its requester, with a password, once approved; the
		 * token never exceeds the rights approved.
		 */
		private String claim(int actor, TokenRequestViews.ListedRequest request) {
			Set<String> claimerRights = actorRights(actor);
			return call(actor, "POST", "/api/me/token-requests/" + request.id() + "/claim", null, (response) -> {
				if (response.status() == 201) {
					assertThat(actor).as("a bearer token claimed a token").isLessThan(2);
					assertThat(request.requestedBy()).as("somebody else's request claimed").isEqualTo(this.attacker);
					Set<String> approved = new TreeSet<>(request.rights());
					if (!request.requester().equals(this.attacker)) {
						approved.retainAll(claimerRights);
					}
					TokenModel made = new TokenModel(response.json().get("token").asString(),
							response.json().get("id").asString(), request.requester(), Set.of(), approved);
					this.allTokens.add(made);
					this.held.add(made);
				}
			});
		}

		/**
		 * The credentials inventory, all of it or one owner's: it must hold no token of a
		 * user who outranks the caller.
		 */
		private String inventory(int actor, String filter) {
			String caller = callerOf(actor);
			Set<String> rights = actorRights(actor);
			return call(actor, "GET", "/api/tokens?size=100" + filter, null, (response) -> {
				if (response.status() == 200) {
					for (JsonNode listed : response.json().values()) {
						String owner = listed.get("owner").asString();
						assertThat(mayList(caller, rights, owner))
							.as("5. the inventory of " + caller + " lists a token of " + owner + ", who outranks them")
							.isTrue();
					}
				}
			});
		}

		/**
		 * Counts one owner's live tokens in the inventory, then revokes that selection:
		 * it must revoke nothing of a user who outranks the caller.
		 */
		private String revokeSelection(int actor, String owner) {
			String caller = callerOf(actor);
			Set<String> rights = actorRights(actor);
			int[] counted = { 0 };
			call(actor, "GET", "/api/tokens?state=live&owner=" + owner, null, (response) -> {
				if (response.status() == 200) {
					counted[0] = Integer.parseInt(response.header("X-Total-Count"));
				}
			});
			return call(actor, "POST", "/api/tokens/revoke-selection",
					Map.of("owner", owner, "expectedCount", counted[0]), (response) -> {
						if (response.status() == 200 && response.json().get("revoked").asInt() > 0) {
							assertThat(mayList(caller, rights, owner))
								.as("5. " + caller + " revoked a selection of " + owner + ", who outranks them")
								.isTrue();
							this.allTokens.stream()
								.filter((each) -> each.owner().equals(owner) && each.successor == null)
								.toList()
								.forEach(this::revokedWithChain);
						}
					});
		}

		/** Whether a caller with these rights may list the owner's tokens. */
		private boolean mayList(String caller, Set<String> rights, String owner) {
			return caller.equals(owner)
					|| (rights.contains(RightsCatalog.TOKENS_MANAGE) && rights.containsAll(rightsOf(owner)));
		}

		/**
		 * Whose rights the actor's next call carries: the attacker's, or a token's
		 * owner's.
		 */
		private String callerOf(int actor) {
			return (actor < 2) ? this.attacker : this.held.get(actor - 2).owner();
		}

		private String generate(int actor, String owner, List<String> scopes, boolean narrowed) {
			Set<String> requested = narrowed ? new LinkedHashSet<>(scopes) : Set.of();
			Set<String> makerRights = actorRights(actor);
			return call(actor, "POST", "/api/users/" + owner + "/tokens", Map.of("scopes", List.copyOf(requested)),
					(response) -> {
						if (response.status() == 201) {
							assertThat(actor).as("a bearer token generated a token").isLessThan(2);
							Set<String> ceiling = owner.equals(this.attacker) ? null
									: intersect(makerRights, requested);
							TokenModel made = new TokenModel(response.json().get("token").asString(),
									response.json().get("id").asString(), owner, requested, ceiling);
							this.allTokens.add(made);
							this.held.add(made);
						}
					});
		}

		private String rotateById(int actor, TokenModel token) {
			Set<String> rotatorRights = actorRights(actor);
			return call(actor, "POST", "/api/users/" + token.owner() + "/tokens/" + token.id() + "/rotate", null,
					(response) -> {
						if (response.status() == 201) {
							assertThat(actor).as("a bearer token rotated a token by id").isLessThan(2);
							Set<String> ceiling = token.ceiling();
							if (!token.owner().equals(this.attacker)) {
								ceiling = (ceiling != null) ? intersect(ceiling, rotatorRights) : rotatorRights;
							}
							rotated(token, response.json(), ceiling);
						}
					});
		}

		private String selfRotate(Step step) {
			if (this.held.isEmpty()) {
				return "no token to rotate itself";
			}
			TokenModel token = this.held.get(step.target() % this.held.size());
			Http.Response response = Http.post(this.base + "/api/tokens/self/rotate").bearer(token.value()).send();
			assertThat(response.status()).as("self-rotation: " + response.body()).isLessThan(500);
			this.lastStatus = response.status();
			if (response.status() == 201) {
				rotated(token, response.json(), token.ceiling());
			}
			return "token " + token.id() + " rotates itself: " + response.status();
		}

		private void rotated(TokenModel old, JsonNode answer, Set<String> ceiling) {
			TokenModel successor = new TokenModel(answer.get("token").asString(), answer.get("id").asString(),
					old.owner(), old.scopes(), ceiling);
			old.successor = successor;
			if (old.revoked) {
				successor.revoked = true;
			}
			this.allTokens.add(successor);
			this.held.add(successor);
		}

		private void revoked(boolean done, TokenModel token) {
			if (done) {
				revokedWithChain(token);
			}
		}

		private void revokedWithChain(TokenModel token) {
			for (TokenModel each = token; each != null; each = each.successor) {
				each.revoked = true;
			}
		}

		private String call(int actor, String method, String path, Object body,
				java.util.function.Consumer<Http.Response> then) {
			Http.Response response;
			String who;
			if (actor == 0) {
				who = "basic";
				Http request = request(method, this.base + path).basic(this.attacker, ATTACKER_PASSWORD);
				response = ((body != null) ? request.json(body) : request).send();
			}
			else if (actor == 1) {
				who = this.scenario.staleSession() ? "stale session" : "session";
				response = this.session.api(method, path, body);
			}
			else {
				TokenModel token = this.held.get(actor - 2);
				who = "token " + token.id() + " of " + token.owner();
				Http request = request(method, this.base + path).bearer(token.value());
				response = ((body != null) ? request.json(body) : request).send();
			}
			assertThat(response.status()).as(method + " " + path + " as " + who + ": " + response.body())
				.isLessThan(500);
			this.lastStatus = response.status();
			then.accept(response);
			return who + ": " + method + " " + path + " " + body + " -> " + response.status();
		}

		/**
		 * The rights the actor's next call carries: the attacker's own, or a token's
		 * effective scopes.
		 */
		private Set<String> actorRights(int actor) {
			if (actor < 2) {
				return rightsOf(this.attacker);
			}
			return this.verifier.verify(this.held.get(actor - 2).value(), null)
				.map(VerifiedToken::scopes)
				.orElse(Set.of());
		}

		private static Http request(String method, String uri) {
			return switch (method) {
				case "POST" -> Http.post(uri);
				case "PUT" -> Http.put(uri);
				case "PATCH" -> Http.patch(uri);
				case "DELETE" -> Http.delete(uri);
				default -> Http.get(uri);
			};
		}

		// The invariants

		private void checkInvariants(String after) {
			String context = "after " + after + "\nsteps so far: " + String.join("\n  ", this.log);
			for (Map.Entry<String, String> known : this.knownPasswords.entrySet()) {
				if (this.directory.find(known.getKey()).isPresent()) {
					Set<String> allowed = new TreeSet<>(this.startRights.getOrDefault(known.getKey(), Set.of()));
					allowed.addAll(this.attackerStartRights);
					assertThat(allowed)
						.as("1. rights of " + known.getKey() + ", whose password the attacker knows, " + context)
						.containsAll(rightsOf(known.getKey()));
				}
			}
			for (TokenModel token : this.allTokens) {
				Optional<VerifiedToken> active = this.verifier.verify(token.value(), null);
				if (active.isEmpty()) {
					continue;
				}
				assertThat(token.revoked).as("4. revoked token " + token.id() + " is active " + context).isFalse();
				Set<String> rights = new TreeSet<>(active.get().scopes());
				rights.remove(RightsCatalog.SELF_SCOPE);
				assertThat(rightsOf(token.owner()))
					.as("2. token " + token.id() + " within its owner's rights " + context)
					.containsAll(rights);
				if (token.ceiling() != null) {
					assertThat(token.ceiling()).as("2. token " + token.id() + " within its ceiling " + context)
						.containsAll(rights);
				}
			}
			boolean fullAdministrator = this.directory.find(this.directory.usernames())
				.stream()
				.anyMatch((user) -> user.enabled() && user.hasPassword() && rightsOf(user).containsAll(CATALOG));
			assertThat(fullAdministrator).as("3. some enabled password account holds every right " + context).isTrue();
		}

		private Set<String> rightsOf(String username) {
			return this.directory.find(username).map(this::rightsOf).orElse(Set.of());
		}

		private Set<String> rightsOf(User user) {
			return this.users.rightsOf(user);
		}

		private List<String> groupsOf(Set<Integer> indexes) {
			Set<String> names = new LinkedHashSet<>();
			indexes.forEach((index) -> names.add(this.tag + "-g" + (index % this.scenario.groups().size())));
			return List.copyOf(names);
		}

		private static String pick(List<String> names, int index) {
			return names.isEmpty() ? "nobody" : names.get(index % names.size());
		}

		private static List<String> subset(List<String> names, int bits) {
			List<String> chosen = new ArrayList<>();
			for (int i = 0; i < names.size(); i++) {
				if ((bits & (1 << (i % 6))) != 0) {
					chosen.add(names.get(i));
				}
			}
			return chosen;
		}

		private static Set<String> intersect(java.util.Collection<String> rights, Set<String> scopes) {
			Set<String> result = new TreeSet<>(rights);
			if (!scopes.isEmpty()) {
				result.retainAll(scopes);
			}
			return result;
		}

	}

	/**
	 * A token as the model knows it: its value, whose it is, its ceiling, and whether it
	 * was revoked.
	 */
	private static final class TokenModel {

		private final String value;

		private final String id;

		private final String owner;

		private final Set<String> scopes;

		private final Set<String> ceiling;

		private TokenModel successor;

		private boolean revoked;

		TokenModel(String value, String id, String owner, Set<String> scopes, Set<String> ceiling) {
			this.value = value;
			this.id = id;
			this.owner = owner;
			this.scopes = scopes;
			this.ceiling = ceiling;
		}

		String value() {
			return this.value;
		}

		String id() {
			return this.id;
		}

		String owner() {
			return this.owner;
		}

		Set<String> scopes() {
			return this.scopes;
		}

		Set<String> ceiling() {
			return this.ceiling;
		}

	}

}
