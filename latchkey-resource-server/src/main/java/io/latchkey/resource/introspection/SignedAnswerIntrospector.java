package io.latchkey.resource.introspection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Introspection whose answers come signed (RFC 9701): it asks with
 * {@code Accept: application/token-introspection+jwt} and takes only a JWT the auth
 * server signed ({@code typ} {@code token-introspection+jwt}, {@code aud} this service,
 * checked by {@code statements}). The principal keeps the signed answer
 * ({@link SignedAnswer#signedAnswer()}), so that what a cache holds can be shown to, and
 * checked by, anyone later.
 *
 * @since 0.1
 */
public final class SignedAnswerIntrospector implements OpaqueTokenIntrospector {

	/** The media type of signed introspection answers. */
	public static final MediaType SIGNED = MediaType.parseMediaType("application/token-introspection+jwt");

	private final RestClient client;

	private final String introspectionUri;

	private final JwtDecoder statements;

	/**
	 * @param client talks to the auth server, authenticated as this service
	 * @param introspectionUri the introspection endpoint
	 * @param statements verifies the signed answers (signature, {@code typ}, {@code iss},
	 * {@code aud})
	 */
	public SignedAnswerIntrospector(RestClient client, String introspectionUri, JwtDecoder statements) {
		Assert.notNull(client, "client cannot be null");
		Assert.hasText(introspectionUri, "introspectionUri cannot be empty");
		Assert.notNull(statements, "statements cannot be null");
		this.client = client;
		this.introspectionUri = introspectionUri;
		this.statements = statements;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("token", token);
		String answer;
		try {
			answer = this.client.post()
				.uri(this.introspectionUri)
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(SIGNED)
				.body(form)
				.retrieve()
				.body(String.class);
		}
		catch (RestClientException ex) {
			throw new OAuth2IntrospectionException("The auth server could not be asked", ex);
		}
		if (answer == null) {
			throw new OAuth2IntrospectionException("The auth server gave no answer");
		}
		Jwt statement;
		try {
			statement = this.statements.decode(answer.trim());
		}
		catch (JwtException ex) {
			throw new OAuth2IntrospectionException("The signed introspection answer does not verify", ex);
		}
		if (!(statement.getClaims().get("token_introspection") instanceof Map<?, ?> claims)) {
			throw new OAuth2IntrospectionException("The signed answer has no token_introspection claim");
		}
		if (!Boolean.TRUE.equals(claims.get(OAuth2TokenIntrospectionClaimNames.ACTIVE))) {
			throw new BadOpaqueTokenException("The token is not active");
		}
		return new SignedAnswer(attributes(claims), statement.getTokenValue());
	}

	/** The claims as Spring's own introspector converts them. */
	private static Map<String, Object> attributes(Map<?, ?> claims) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		claims.forEach((name, value) -> attributes.put(String.valueOf(name), value));
		for (String time : List.of(OAuth2TokenIntrospectionClaimNames.EXP, OAuth2TokenIntrospectionClaimNames.IAT,
				OAuth2TokenIntrospectionClaimNames.NBF)) {
			attributes.computeIfPresent(time, (name, value) -> (value instanceof Number seconds)
					? Instant.ofEpochSecond(seconds.longValue()) : value);
		}
		attributes.computeIfPresent(OAuth2TokenIntrospectionClaimNames.AUD,
				(name, value) -> (value instanceof String one) ? List.of(one) : value);
		attributes.computeIfPresent(OAuth2TokenIntrospectionClaimNames.SCOPE,
				(name, value) -> (value instanceof String spaced) ? List.of(spaced.split(" ")) : value);
		return attributes;
	}

	/**
	 * An active answer, with the signed statement it was read from.
	 */
	public static final class SignedAnswer implements OAuth2AuthenticatedPrincipal {

		private final Map<String, Object> attributes;

		private final Collection<GrantedAuthority> authorities;

		private final String signedAnswer;

		SignedAnswer(Map<String, Object> attributes, String signedAnswer) {
			this.attributes = Map.copyOf(attributes);
			this.signedAnswer = signedAnswer;
			List<GrantedAuthority> authorities = new ArrayList<>();
			if (attributes.get(OAuth2TokenIntrospectionClaimNames.SCOPE) instanceof Collection<?> scopes) {
				scopes.forEach((scope) -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
			}
			this.authorities = List.copyOf(authorities);
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

		@Override
		public Collection<? extends GrantedAuthority> getAuthorities() {
			return this.authorities;
		}

		@Override
		public @Nullable String getName() {
			Object subject = this.attributes.get(OAuth2TokenIntrospectionClaimNames.SUB);
			return (subject != null) ? subject.toString() : null;
		}

		/**
		 * The answer as the auth server signed it: a JWT anyone can check against its
		 * JSON Web Key set.
		 * @return the signed answer
		 */
		public String signedAnswer() {
			return this.signedAnswer;
		}

	}

}
