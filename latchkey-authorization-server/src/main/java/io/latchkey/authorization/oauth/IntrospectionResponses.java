package io.latchkey.authorization.oauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.http.converter.OAuth2TokenIntrospectionHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.Assert;

/**
 * Introspection answers: the JSON of RFC 7662, or, for a client that asks with
 * {@code Accept: application/token-introspection+jwt}, the same answer as a JWT signed
 * with the server's keys (RFC 9701): {@code typ} {@code token-introspection+jwt},
 * {@code iss} this server, {@code aud} the asking client, {@code iat}, and the answer
 * under {@code token_introspection}. A resource service that keeps such an answer keeps a
 * statement anyone can check later against {@code /oauth2/jwks}.
 *
 * @since 0.1
 */
public final class IntrospectionResponses implements AuthenticationSuccessHandler {

	/** The media type of signed introspection answers (RFC 9701). */
	public static final MediaType SIGNED = MediaType.parseMediaType("application/token-introspection+jwt");

	private static final Pattern MENTIONS_SIGNED = Pattern.compile(Pattern.quote(SIGNED.getSubtype()),
			Pattern.CASE_INSENSITIVE);

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final OAuth2TokenIntrospectionHttpMessageConverter json = new OAuth2TokenIntrospectionHttpMessageConverter();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final JwtEncoder encoder;

	private final Clock clock;

	/**
	 * @param encoder signs with the server's keys
	 * @param clock the time of {@code iat}
	 */
	public IntrospectionResponses(JwtEncoder encoder, Clock clock) {
		Assert.notNull(encoder, "encoder cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.encoder = encoder;
		this.clock = clock;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		OAuth2TokenIntrospectionAuthenticationToken answer = (OAuth2TokenIntrospectionAuthenticationToken) authentication;
		OAuth2TokenIntrospection claims = answer.getTokenClaims();
		if (!wantsSigned(request) || !(answer.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
				|| client.getRegisteredClient() == null) {
			this.json.write(claims, null, new ServletServerHttpResponse(response));
			return;
		}
		JwtClaimsSet.Builder statement = JwtClaimsSet.builder()
			.audience(List.of(client.getRegisteredClient().getClientId()))
			.issuedAt(this.clock.instant())
			.claim("token_introspection", asJson(claims));
		if (AuthorizationServerContextHolder.getContext() != null) {
			statement.issuer(AuthorizationServerContextHolder.getContext().getIssuer());
		}
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type(SIGNED.getSubtype()).build();
		String jwt = this.encoder.encode(JwtEncoderParameters.from(header, statement.build())).getTokenValue();
		response.setContentType(SIGNED.toString());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.getOutputStream().write(jwt.getBytes(StandardCharsets.US_ASCII));
	}

	private static boolean wantsSigned(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		// most callers (Spring's introspectors among them) ask for JSON: no parsing for
		// them
		if (accept == null || !MENTIONS_SIGNED.matcher(accept).find()) {
			return false;
		}
		try {
			return MediaType.parseMediaTypes(accept).stream().anyMatch(SIGNED::equalsTypeAndSubtype);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/** The answer exactly as its JSON form would say it. */
	private Map<String, Object> asJson(OAuth2TokenIntrospection claims) throws IOException {
		Buffer buffer = new Buffer();
		this.json.write(claims, MediaType.APPLICATION_JSON, buffer);
		return this.mapper.readValue(buffer.body.toByteArray(), JSON_OBJECT);
	}

	private static final class Buffer implements HttpOutputMessage {

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private final HttpHeaders headers = new HttpHeaders();

		@Override
		public OutputStream getBody() {
			return this.body;
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

	}

}
