package io.latchkey.dpop;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.nimbusds.jose.jwk.JWK;
import io.latchkey.core.Causes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithms;
import org.springframework.security.oauth2.jwt.DPoPProofContext;
import org.springframework.security.oauth2.jwt.DPoPProofJwtDecoderFactory;
import org.springframework.security.oauth2.jwt.DPoPProofReplayValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationProvider;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Tokens bound to a key (RFC 9449), on top of Spring Security's DPoP support: a request
 * {@code Authorization: DPoP <token>} with a {@code DPoP} proof is checked by Spring's
 * {@link DPoPAuthenticationProvider} ({@code htm}, {@code htu}, {@code iat} within 30
 * seconds, {@code ath}, the proof's key against the token's {@code cnf.jkt}), its
 * {@code jti} refused a second time wherever the {@link Cache} given reaches (Redis:
 * every instance). A bound token presented as a plain bearer token, or with a proof of
 * another key, gets {@code 401} with
 * {@code WWW-Authenticate: DPoP error="invalid_token"}; a bad proof
 * {@code invalid_dpop_proof}. A storage outage is not an answer: it propagates, to become
 * a 503.
 *
 * @since 0.1
 */
public final class DPoP {

	/**
	 * The proof algorithms Spring Security verifies, as metadata and challenges list
	 * them.
	 */
	public static final List<String> ALGORITHMS = List.of(JwsAlgorithms.ES256, JwsAlgorithms.ES384, JwsAlgorithms.ES512,
			JwsAlgorithms.RS256, JwsAlgorithms.RS384, JwsAlgorithms.RS512, JwsAlgorithms.PS256, JwsAlgorithms.PS384,
			JwsAlgorithms.PS512);

	private static final String CONFIRMATION = "cnf";

	private static final String THUMBPRINT = "jkt";

	/**
	 * The token is refused, whatever the proof: it is not bound to a key. Told apart from
	 * Spring's own proof validators, which also say {@code invalid_token} (of the proof).
	 */
	private static final OAuth2Error NOT_BOUND = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
			"The token is not bound to a key: present it as a Bearer token", null);

	/** The token is refused, whatever the proof: it is bound to another key. */
	private static final OAuth2Error OTHER_KEY = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
			"The token is bound to another key", null);

	private DPoP() {
	}

	/**
	 * Turns DPoP on in a resource-server configuration whose bearer tokens are checked by
	 * {@code bearerOnly(tokens)}: proofs are checked by {@code proofs} (made by
	 * {@link #proofProvider}), failures answered by {@link #failureHandler}.
	 * @param resourceServer the configurer of {@code http.oauth2ResourceServer(…)}
	 * @param proofs the provider that checks proofs (also register it with the chain's
	 * authentication manager if the chain sets one of its own)
	 * @param resourceMetadata the {@code resource_metadata} of challenges, by request
	 * ({@code null}: none)
	 */
	public static void configure(OAuth2ResourceServerConfigurer<HttpSecurity> resourceServer,
			DPoPAuthenticationProvider proofs, @Nullable Function<HttpServletRequest, String> resourceMetadata) {
		resourceServer.dPoP((dPoP) -> dPoP.authenticationFailureHandler(failureHandler(resourceMetadata)))
			.withObjectPostProcessor(new ObjectPostProcessor<DPoPAuthenticationProvider>() {

				@Override
				@SuppressWarnings("unchecked")
				public <O extends DPoPAuthenticationProvider> O postProcess(O provider) {
					// Spring's provider would check proofs over the bearer-only manager
					return (O) proofs;
				}

			});
	}

	/**
	 * The provider that checks a proof, then the token with {@code tokens}.
	 * @param tokens what checks the token itself (not {@link #bearerOnly})
	 * @param replays the proofs seen (a {@link ProofReplayCache} across instances)
	 * @return the provider
	 */
	public static DPoPAuthenticationProvider proofProvider(AuthenticationManager tokens, Cache replays) {
		DPoPProofJwtDecoderFactory proofs = new DPoPProofJwtDecoderFactory();
		Function<DPoPProofContext, OAuth2TokenValidator<Jwt>> checks = DPoPProofJwtDecoderFactory
			.createDefaultJwtValidatorFactory(List.of(new DPoPProofReplayValidator(replays)));
		proofs.setJwtValidatorFactory((context) -> {
			OAuth2TokenValidator<Jwt> spring = checks.apply(context);
			return (proof) -> {
				OAuth2TokenValidatorResult key = sameKey(context, proof);
				return key.hasErrors() ? key : spring.validate(proof);
			};
		});
		DPoPAuthenticationProvider provider = new DPoPAuthenticationProvider(tokens);
		provider.setDPoPProofVerifierFactory(proofs);
		return provider;
	}

	/**
	 * The manager of plain bearer tokens: {@code tokens}, refusing a token bound to a key
	 * ({@code cnf.jkt}), which must come with its proof.
	 * @param tokens what checks the token
	 * @return the bearer-only manager
	 */
	public static AuthenticationManager bearerOnly(AuthenticationManager tokens) {
		return (authentication) -> {
			Authentication result = tokens.authenticate(authentication);
			if (thumbprint(result) != null) {
				throw new ProofRequiredException();
			}
			return result;
		};
	}

	/**
	 * The RFC 7638 thumbprint a checked token is bound to.
	 * @param authentication an authenticated token
	 * @return its {@code cnf.jkt}, or {@code null} if it is a bearer token
	 */
	public static @Nullable String thumbprint(@Nullable Authentication authentication) {
		if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
			return thumbprint(token.getTokenAttributes().get(CONFIRMATION));
		}
		return null;
	}

	/**
	 * Answers a failed DPoP request: {@code invalid_token} when the token is not active
	 * or not bound to the proof's key, {@code invalid_dpop_proof} for a bad proof,
	 * {@code invalid_request} (Spring's) for a missing one; a storage or auth-server
	 * outage is rethrown (a 503, never a refusal that hides it).
	 * @param resourceMetadata the {@code resource_metadata} of challenges ({@code null}:
	 * none)
	 * @return the failure handler
	 */
	public static AuthenticationFailureHandler failureHandler(
			@Nullable Function<HttpServletRequest, String> resourceMetadata) {
		return (request, response, failure) -> {
			if (failure instanceof AuthenticationServiceException
					|| Causes.isCausedBy(failure, DataAccessException.class)) {
				throw failure;
			}
			challenge(request, response, error(failure), resourceMetadata);
		};
	}

	/**
	 * Writes a {@code 401} with an RFC 9449 {@code WWW-Authenticate: DPoP} challenge.
	 * @param request the request
	 * @param response the response
	 * @param error what is wrong ({@code null}: no token at all)
	 * @param resourceMetadata the {@code resource_metadata} parameter, if any
	 * @throws IOException never, in practice
	 */
	public static void challenge(HttpServletRequest request, HttpServletResponse response, @Nullable OAuth2Error error,
			@Nullable Function<HttpServletRequest, String> resourceMetadata) throws IOException {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (error != null) {
			parameters.put("error", error.getErrorCode());
			if (error.getDescription() != null) {
				parameters.put("error_description", error.getDescription());
			}
		}
		parameters.put("algs", String.join(" ", ALGORITHMS));
		if (resourceMetadata != null) {
			parameters.put("resource_metadata", resourceMetadata.apply(request));
		}
		StringBuilder challenge = new StringBuilder("DPoP");
		parameters.forEach((name, value) -> challenge.append((challenge.length() == 4) ? " " : ", ")
			.append(name)
			.append("=\"")
			.append(value.replace("\"", "'"))
			.append('"'));
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, challenge.toString());
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
	}

	private static OAuth2Error error(AuthenticationException failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException invalid) {
				for (OAuth2Error error : invalid.getErrors()) {
					// Spring's own proof checks say invalid_token too: a bad proof
					// is answered below
					if (error == NOT_BOUND || error == OTHER_KEY) {
						return error;
					}
				}
			}
		}
		if (failure instanceof OAuth2AuthenticationException oauth) {
			OAuth2Error error = oauth.getError();
			if (OAuth2ErrorCodes.INVALID_REQUEST.equals(error.getErrorCode())) {
				// Spring's: no DPoP proof, or more than one Authorization header
				return new OAuth2Error(error.getErrorCode(), error.getDescription(), null);
			}
			return OAuth2ErrorCodes.INVALID_DPOP_PROOF.equals(error.getErrorCode())
					? new OAuth2Error(error.getErrorCode(), "The DPoP proof is invalid", null)
					: new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token is not active", null);
		}
		return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token is not active", null);
	}

	/**
	 * The token must be bound, and to the proof's key: otherwise it is the token that is
	 * refused ({@code invalid_token}), whatever the proof.
	 */
	private static OAuth2TokenValidatorResult sameKey(DPoPProofContext context, Jwt proof) {
		if (!(context.getAccessToken() instanceof ClaimAccessor token)) {
			return OAuth2TokenValidatorResult.success();
		}
		String bound = thumbprint(token.getClaims().get(CONFIRMATION));
		if (bound == null) {
			return OAuth2TokenValidatorResult.failure(NOT_BOUND);
		}
		try {
			Object jwk = proof.getHeaders().get("jwk");
			if (jwk instanceof Map<?, ?> key) {
				@SuppressWarnings("unchecked")
				Map<String, Object> json = (Map<String, Object>) key;
				if (bound.equals(JWK.parse(json).computeThumbprint().toString())) {
					return OAuth2TokenValidatorResult.success();
				}
			}
		}
		catch (Exception ex) {
			// not a key: refused below
		}
		return OAuth2TokenValidatorResult.failure(OTHER_KEY);
	}

	private static @Nullable String thumbprint(@Nullable Object confirmation) {
		return (confirmation instanceof Map<?, ?> cnf && cnf.get(THUMBPRINT) instanceof String jkt) ? jkt : null;
	}

	/**
	 * A token bound to a key presented without its proof: {@code invalid_token}, answered
	 * with a {@code DPoP} challenge.
	 */
	public static final class ProofRequiredException extends OAuth2AuthenticationException {

		private static final long serialVersionUID = 1L;

		ProofRequiredException() {
			super(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
					"The token is bound to a key: present it as 'Authorization: DPoP' with a DPoP proof", null));
		}

	}

}
