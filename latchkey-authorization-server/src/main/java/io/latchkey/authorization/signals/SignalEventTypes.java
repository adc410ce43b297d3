package io.latchkey.authorization.signals;

import java.util.List;
import java.util.Map;

import io.latchkey.core.event.EventType;

/**
 * The event types a stream may ask for, and which one each Latchkey event becomes. CAEP
 * types where one fits: {@code credential-change} for a token revoked
 * ({@code change_type: revoke}), rotated ({@code update}) or all of a user's tokens
 * revoked; {@code session-revoked} for a user disabled or deleted;
 * {@code token-claims-change} for a user's rights changed (their groups, or a group's
 * rights). The SSF {@code verification} and {@code stream-updated} events go to every
 * stream, asked for or not.
 *
 * @since 0.1
 */
public final class SignalEventTypes {

	/** CAEP: a credential was created, changed, revoked or deleted. */
	public static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	/** CAEP: a subject's sessions were revoked. */
	public static final String SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

	/** CAEP: the claims of a subject's tokens changed. */
	public static final String TOKEN_CLAIMS_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";

	/** SSF: the answer to a verification request. */
	public static final String VERIFICATION = "https://schemas.openid.net/secevent/ssf/event-type/verification";

	/** SSF: the stream's status changed, or it lost events. */
	public static final String STREAM_UPDATED = "https://schemas.openid.net/secevent/ssf/event-type/stream-updated";

	/** The types a stream may ask for ({@code events_supported}). */
	public static final List<String> SUPPORTED = List.of(CREDENTIAL_CHANGE, SESSION_REVOKED, TOKEN_CLAIMS_CHANGE);

	/**
	 * The CAEP {@code credential_type} of a personal access token (no registered value
	 * fits).
	 */
	public static final String PERSONAL_ACCESS_TOKEN = "personal-access-token";

	private static final Map<EventType, String> TYPES = Map.of(EventType.TOKEN_REVOKED, CREDENTIAL_CHANGE,
			EventType.TOKEN_ROTATED, CREDENTIAL_CHANGE, EventType.USER_TOKENS_REVOKED, CREDENTIAL_CHANGE,
			EventType.USER_DISABLED, SESSION_REVOKED, EventType.USER_DELETED, SESSION_REVOKED, EventType.USER_CHANGED,
			TOKEN_CLAIMS_CHANGE, EventType.GROUP_CHANGED, TOKEN_CLAIMS_CHANGE, EventType.GROUP_DELETED,
			TOKEN_CLAIMS_CHANGE);

	private SignalEventTypes() {
	}

	/** The event type a Latchkey event becomes. */
	public static String of(EventType type) {
		return TYPES.get(type);
	}

}
