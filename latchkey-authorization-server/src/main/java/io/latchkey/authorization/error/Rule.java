package io.latchkey.authorization.error;

/**
 * The rules of "who may do what", as a refusal names them: each problem a rule answers
 * carries its {@link #code()} as the {@code rule} member, and its {@link #number()} is
 * its place in the documented list of rules.
 */
public enum Rule {

	/** A right the request needs, and the actor lacks. */
	RIGHT_REQUIRED(1, "right-required", "A right is missing"),

	/** Granting a right or a group needs holding every right it carries. */
	NO_ESCALATION(1, "no-escalation", "No one grants beyond their own rights"),

	/** Acting on a user needs every right that user holds. */
	OUTRANK(1, "outrank", "No one acts on a user who holds rights they lack"),

	/** Nobody approves or denies their own token request. */
	OWN_REQUEST(1, "own-request", "No one approves their own token request"),

	/**
	 * A token beyond what needs approval ({@code latchkey.tokens.approval.*}) is asked
	 * for, never made or extended directly.
	 */
	APPROVAL_REQUIRED(1, "approval-required", "This token needs approval: file a token request"),

	/** A bearer token never creates nor extends a credential that would outlive it. */
	TOKEN_NEVER_EXTENDS(3, "token-never-extends", "A bearer token never creates or extends a credential"),

	/** Every grant needs a password given recently. */
	FRESH_PASSWORD(4, "fresh-password", "A recent password is needed"),

	/** A narrowed token does only what its scopes name. */
	NARROWED_TOKEN(5, "narrowed-token", "A narrowed token does only what its scopes name"),

	/** At least one enabled password account holds every right. */
	LAST_ADMINISTRATOR(8, "last-administrator", "The last full administrator stays");

	private final int number;

	private final String code;

	private final String title;

	Rule(int number, String code, String title) {
		this.number = number;
		this.code = code;
		this.title = title;
	}

	/** The rule's number in the documented list of who may do what. */
	public int number() {
		return this.number;
	}

	/** The {@code rule} member of the problem that refuses by this rule. */
	public String code() {
		return this.code;
	}

	/** The problem's title. */
	public String title() {
		return this.title;
	}

}
