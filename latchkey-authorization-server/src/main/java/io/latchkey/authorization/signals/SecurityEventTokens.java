package io.latchkey.authorization.signals;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.latchkey.core.event.SecurityEventCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.util.Assert;

/**
 * Signs Security Event Tokens (RFC 8417, as SSF 1.0 profiles them) with the auth server's
 * keys, those of {@code /oauth2/jwks}: header {@code typ: secevent+jwt}; claims
 * {@code iss}, {@code jti}, {@code iat}, {@code aud} (the receiver's client id),
 * {@code sub_id} (an RFC 9493 subject identifier), {@code txn} (the change, the same in
 * every event it causes) and {@code events} holding exactly one event. No token value is
 * ever among them: a token is named by its digest.
 *
 * @since 0.1
 */
public final class SecurityEventTokens {

	/** The media type, and the {@code typ} header, of a Security Event Token. */
	public static final String TYPE = SecurityEventCodec.TYP;

	private final JwtEncoder encoder;

	private Clock clock = Clock.systemUTC();

	public SecurityEventTokens(JwtEncoder encoder) {
		Assert.notNull(encoder, "encoder cannot be null");
		this.encoder = encoder;
	}

	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/** The subject identifier of a stream, for the SSF stream events. */
	public static Map<String, Object> streamSubject(String streamId) {
		return Map.of("format", "opaque", "id", streamId);
	}

	/**
	 * Signs one event for one receiver.
	 * @param stream the receiver's stream (its issuer and audience)
	 * @param subject the RFC 9493 subject identifier
	 * @param type the event type
	 * @param event the event's members
	 * @param txn the change it is part of, if any
	 * @return the event's id and the signed token
	 */
	public Signed sign(SignalStream stream, Map<String, Object> subject, String type, Map<String, Object> event,
			@Nullable String txn) {
		return sign(UUID.randomUUID().toString(), stream, subject, type, event, txn);
	}

	/**
	 * Signs one event for one receiver under a given id (an event signed afresh each time
	 * it is given, such as the notice of lost events).
	 * @param jti the event's id
	 * @param stream the receiver's stream (its issuer and audience)
	 * @param subject the RFC 9493 subject identifier
	 * @param type the event type
	 * @param event the event's members
	 * @param txn the change it is part of, if any
	 * @return the event's id and the signed token
	 */
	public Signed sign(String jti, SignalStream stream, Map<String, Object> subject, String type,
			Map<String, Object> event, @Nullable String txn) {
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(stream.issuer())
			.id(jti)
			.issuedAt(this.clock.instant())
			.audience(List.of(stream.receiver()))
			.claim("sub_id", subject)
			.claim("events", Map.of(type, event));
		if (txn != null) {
			claims.claim("txn", txn);
		}
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type(TYPE).build();
		String value = this.encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
		return new Signed(jti, value);
	}

	/**
	 * A signed event.
	 *
	 * @param jti its id
	 * @param value the compact JWS
	 */
	public record Signed(String jti, String value) {

		@Override
		public String toString() {
			return "Signed[jti=" + this.jti + "]";
		}

	}

}
