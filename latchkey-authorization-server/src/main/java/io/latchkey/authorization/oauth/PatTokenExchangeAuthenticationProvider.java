package io.latchkey.authorization.oauth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.support.RemoteAddress;
import io.latchkey.authorization.token.PersonalAccessToken;
import io.latchkey.authorization.token.ResourceServices;
import io.latchkey.authorization.token.TokenVerifier;
import io.latchkey.authorization.token.VerifiedToken;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.DPoPProofContext;
import org.springframework.security.oauth2.jwt.DPoPProofJwtDecoderFactory;
import org.springframework.security.oauth2.jwt.DPoPProofReplayValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * RFC 8693 token exchange of a personal access token for a short-lived JWT, inside Spring
 * Authorization Server's own token endpoint: it takes the stock token-exchange provider's
 * place and wraps it, answers every subject token with our prefix, and hands every other
 * token to the stock provider. The client must be registered with the token-exchange
 * grant and listed in {@code latchkey.exchange.allowed-clients}; the PAT must be active
 * now (from the client's reported address, as for introspection), otherwise
 * {@code invalid_grant}. The JWT is made by Spring's {@link JwtGenerator} with the
 * server's keys: {@code sub} is the owner, {@code scope} the PAT's current scopes within
 * the client's registered scopes where it has any, narrowed by the request's
 * {@code scope} if given (anything beyond them is {@code invalid_scope}), {@code aud} the
 * PAT's audience, narrowed by the request's {@code audience} (client ids) and
 * {@code resource} (RFC 8707 resource URIs) if given (a service outside it is
 * {@code invalid_target}; a PAT for any service gives the exchanging client without
 * them), {@code client_id} the exchanging client, {@code pat_id} the PAT's id, and
 * {@code exp} the client's access-token time to live (5 minutes by default), never past
 * {@code maxTimeToLive} nor the PAT's own end. A PAT with an allowlist is not exchanged
 * (a JWT could not keep it to its addresses). Nothing is stored: the JWT is verified
 * where it is used, against {@code /oauth2/jwks}. A PAT bound to a key (RFC 9449) is
 * exchanged only with a {@code DPoP} proof of that key, and gives a JWT bound to it
 * ({@code cnf.jkt}, {@code token_type} {@code DPoP}); a proof with an unbound PAT binds
 * the JWT to the proof's key, as Spring Authorization Server's own grants do.
 */
public final class PatTokenExchangeAuthenticationProvider implements AuthenticationProvider {

	/** The claim that names the personal access token a JWT was exchanged for. */
	public static final String PAT_ID_CLAIM = "pat_id";

	private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	private static final String INVALID_TARGET = "invalid_target";

	private static final String DPOP_HEADER = "DPoP";

	private static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

	private final TokenVerifier verifier;

	private final Set<String> allowedClients;

	private final JwtGenerator jwts;

	private final AuthenticationProvider otherTokens;

	private final Duration maxTimeToLive;

	private final ResourceServices services;

	private final DPoPProofJwtDecoderFactory proofs = new DPoPProofJwtDecoderFactory();

	private MeterRegistry meters = new CompositeMeterRegistry();

	/**
	 * @param verifier checks the PAT
	 * @param allowedClients the clients that may exchange
	 * @param maxTimeToLive the longest life of a JWT
	 * @param encoder signs the JWTs
	 * @param clock the time
	 * @param services the services a JWT may be meant for
	 * @param proofReplays the DPoP proofs already seen
	 * @param otherTokens the stock provider, for every other subject token
	 */
	public PatTokenExchangeAuthenticationProvider(TokenVerifier verifier, Set<String> allowedClients,
			Duration maxTimeToLive, JwtEncoder encoder, Clock clock, ResourceServices services, Cache proofReplays,
			AuthenticationProvider otherTokens) {
		Assert.notNull(verifier, "verifier cannot be null");
		Assert.notNull(allowedClients, "allowedClients cannot be null");
		Assert.notNull(encoder, "encoder cannot be null");
		Assert.notNull(otherTokens, "otherTokens cannot be null");
		this.verifier = verifier;
		this.allowedClients = Set.copyOf(allowedClients);
		this.otherTokens = otherTokens;
		this.maxTimeToLive = maxTimeToLive;
		Assert.notNull(services, "services cannot be null");
		Assert.notNull(proofReplays, "proofReplays cannot be null");
		this.services = services;
		this.proofs.setJwtValidatorFactory(DPoPProofJwtDecoderFactory
			.createDefaultJwtValidatorFactory(List.of(new DPoPProofReplayValidator(proofReplays))));
		this.jwts = new JwtGenerator(encoder);
		this.jwts.setClock(clock);
		this.jwts.setJwtCustomizer(PatTokenExchangeAuthenticationProvider::claims);
	}

	/**
	 * Counts exchanges of personal access tokens in {@code meters} as
	 * {@code latchkey.exchanges}, by {@code outcome}: {@code issued}, or the OAuth error
	 * code of the refusal ({@code invalid_grant}, {@code invalid_target}, ...), or
	 * {@code error} (the store or the signing failed: answered 503 or 500).
	 * @param meters where the counts go
	 */
	public void setMeterRegistry(MeterRegistry meters) {
		Assert.notNull(meters, "meters cannot be null");
		this.meters = meters;
	}

	@Override
	public @Nullable Authentication authenticate(Authentication authentication) {
		OAuth2TokenExchangeAuthenticationToken request = (OAuth2TokenExchangeAuthenticationToken) authentication;
		if (!this.verifier.isOurs(request.getSubjectToken())) {
			return this.otherTokens.authenticate(authentication);
		}
		try {
			Authentication issued = exchange(request);
			count("issued");
			return issued;
		}
		catch (OAuth2AuthenticationException ex) {
			count(ex.getError().getErrorCode());
			throw ex;
		}
		catch (RuntimeException ex) {
			count("error");
			throw ex;
		}
	}

	private void count(String outcome) {
		Counter.builder("latchkey.exchanges")
			.description("Exchanges of personal access tokens for JWTs (RFC 8693), by outcome")
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	private Authentication exchange(OAuth2TokenExchangeAuthenticationToken request) {
		OAuth2ClientAuthenticationToken client = authenticatedClient(request);
		RegisteredClient registeredClient = client.getRegisteredClient();
		if (!registeredClient.getAuthorizationGrantTypes().contains(AuthorizationGrantType.TOKEN_EXCHANGE)
				|| !this.allowedClients.contains(registeredClient.getClientId())) {
			throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "This client may not exchange personal access tokens");
		}
		if (!ACCESS_TOKEN_TYPE.equals(request.getSubjectTokenType())) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST,
					"A personal access token is exchanged as subject_token_type " + ACCESS_TOKEN_TYPE);
		}
		if (request.getActorToken() != null) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Delegation (actor_token) is not supported");
		}
		if (!ACCESS_TOKEN_TYPE.equals(request.getRequestedTokenType())
				&& !JWT_TOKEN_TYPE.equals(request.getRequestedTokenType())) {
			throw error("unsupported_token_type", "Personal access tokens are exchanged for JWT access tokens");
		}
		String address = RemoteAddress.current();
		// a client exchanges only the tokens meant for it, as it introspects only those
		Optional<VerifiedToken> pat = this.verifier.verify(request.getSubjectToken(),
				registeredClient.getClientId() + "@" + address, address, registeredClient.getClientId());
		if (pat.isEmpty()) {
			throw error(OAuth2ErrorCodes.INVALID_GRANT, "The subject token is not active");
		}
		if (!pat.get().token().allowedIps().isEmpty()) {
			throw error(OAuth2ErrorCodes.INVALID_GRANT,
					"A token with an allowlist is not exchanged: a JWT could not keep it to its addresses");
		}
		Set<String> scopes = AccessPolicy.exchangeScopes(pat.get().scopes(), registeredClient.getScopes(),
				request.getScopes());
		if (scopes == null) {
			throw error(OAuth2ErrorCodes.INVALID_SCOPE,
					"The requested scope exceeds the token's scopes or the client's registered scopes");
		}
		List<String> audience = audience(pat.get().token(), request, registeredClient.getClientId());
		String jkt = boundKey(pat.get().token());
		UsernamePasswordAuthenticationToken owner = UsernamePasswordAuthenticationToken
			.authenticated(pat.get().token().owner(), null, AuthorityUtils.createAuthorityList(scopes));
		owner.setDetails(new Exchange(pat.get(), registeredClient.getClientId(), this.maxTimeToLive, audience, jkt));
		OAuth2TokenContext context = DefaultOAuth2TokenContext.builder()
			.registeredClient(registeredClient)
			.principal(owner)
			.authorizationServerContext(AuthorizationServerContextHolder.getContext())
			.authorizedScopes(scopes)
			.tokenType(OAuth2TokenType.ACCESS_TOKEN)
			.authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
			.authorizationGrant(request)
			.build();
		Jwt jwt = this.jwts.generate(context);
		if (jwt == null) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST,
					"This client's access tokens are not self-contained (JWT): set its access-token-format");
		}
		OAuth2AccessToken accessToken = new OAuth2AccessToken(
				(jkt != null) ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER,
				jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), scopes);
		return new OAuth2AccessTokenAuthenticationToken(registeredClient, client, accessToken, null,
				Map.of(OAuth2ParameterNames.ISSUED_TOKEN_TYPE, request.getRequestedTokenType()));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OAuth2TokenExchangeAuthenticationToken.class.isAssignableFrom(authentication);
	}

	private static OAuth2ClientAuthenticationToken authenticatedClient(OAuth2TokenExchangeAuthenticationToken request) {
		if (request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()
				&& client.getRegisteredClient() != null) {
			return client;
		}
		throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
	}

	/**
	 * The JWT's audience: what the request names ({@code audience} client ids and
	 * {@code resource} URIs), each within the PAT's audience; without, the PAT's audience
	 * (the exchanging client for a PAT meant for any service).
	 */
	private List<String> audience(PersonalAccessToken pat, OAuth2TokenExchangeAuthenticationToken request,
			String clientId) {
		Set<String> requested = new TreeSet<>();
		for (String resource : request.getResources()) {
			requested.add(this.services.byResource(resource)
				.orElseThrow(() -> error(INVALID_TARGET, "No resource service has the resource " + resource))
				.clientId());
		}
		for (String audience : request.getAudiences()) {
			requested.add(this.services.find(audience)
				.orElseThrow(() -> error(INVALID_TARGET, "'" + audience + "' is not a resource service"))
				.clientId());
		}
		if (requested.contains(ResourceServices.MANAGEMENT_API)) {
			throw error(INVALID_TARGET, "The management API takes personal access tokens, never exchanged JWTs");
		}
		for (String service : requested) {
			if (!pat.isMeantFor(service)) {
				throw error(INVALID_TARGET, "The subject token is not meant for '" + service + "'");
			}
		}
		if (!requested.isEmpty()) {
			return List.copyOf(requested);
		}
		if (pat.audience() == null) {
			return List.of(clientId);
		}
		// the management API takes only PATs: a JWT is never meant for it
		Set<String> services = new TreeSet<>(pat.audience());
		services.remove(ResourceServices.MANAGEMENT_API);
		return List.copyOf(services);
	}

	/**
	 * The key the JWT is bound to: the PAT's, proved by the request's {@code DPoP} proof
	 * (required then), or the proof's key for an unbound PAT; {@code null} without a
	 * proof. The proof is read from the {@code DPoP} header of this very request, and
	 * checked against its method and URL: never from form parameters, where a client
	 * could pass off a proof it captured for another request.
	 */
	private @Nullable String boundKey(PersonalAccessToken pat) {
		HttpServletRequest http = (RequestContextHolder
			.getRequestAttributes() instanceof ServletRequestAttributes attributes) ? attributes.getRequest() : null;
		List<String> proofs = (http != null) ? Collections.list(http.getHeaders(DPOP_HEADER)) : List.of();
		if (proofs.isEmpty()) {
			if (pat.isBound()) {
				throw error(OAuth2ErrorCodes.INVALID_GRANT,
						"The subject token is bound to a key: send a DPoP proof of that key");
			}
			return null;
		}
		if (proofs.size() > 1) {
			throw error(OAuth2ErrorCodes.INVALID_DPOP_PROOF, "Send exactly one DPoP proof");
		}
		String proof = proofs.get(0);
		String thumbprint;
		try {
			DPoPProofContext context = DPoPProofContext.withDPoPProof(proof)
				.method(http.getMethod())
				.targetUri(UrlUtils.buildFullRequestUrl(http.getScheme(), http.getServerName(), http.getServerPort(),
						http.getRequestURI(), null))
				.build();
			Jwt checked = this.proofs.createDecoder(context).decode(proof);
			@SuppressWarnings("unchecked")
			Map<String, Object> jwk = (Map<String, Object>) checked.getHeaders().get("jwk");
			thumbprint = JWK.parse(jwk).computeThumbprint().toString();
		}
		catch (JwtException | ParseException | JOSEException | IllegalArgumentException ex) {
			// a storage failure behind the replay check is none of these: it becomes a
			// 503
			throw new OAuth2AuthenticationException(
					new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF, "The DPoP proof is invalid", null), ex);
		}
		if (pat.isBound() && !thumbprint.equals(pat.jkt())) {
			throw error(OAuth2ErrorCodes.INVALID_GRANT, "The subject token is bound to another key");
		}
		return thumbprint;
	}

	private static void claims(JwtEncodingContext context) {
		if (context.getPrincipal().getDetails() instanceof Exchange exchange) {
			context.getClaims().audience(exchange.audience());
			if (exchange.jkt() != null) {
				context.getClaims().claim("cnf", Map.of("jkt", exchange.jkt()));
			}
			context.getClaims().claim(PAT_ID_CLAIM, exchange.pat().token().id());
			context.getClaims().claim("client_id", exchange.clientId());
			context.getClaims().claims((claims) -> {
				Instant end = exchange.pat().token().endsAt();
				if (claims.get("iat") instanceof Instant iat && iat.plus(exchange.maxTimeToLive()).isBefore(end)) {
					end = iat.plus(exchange.maxTimeToLive());
				}
				if (claims.get("exp") instanceof Instant exp && exp.isAfter(end)) {
					claims.put("exp", end);
				}
			});
		}
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
	}

	/**
	 * What the JWT is made from: the verified PAT, the exchanging client, the longest
	 * life allowed, its audience and the key it is bound to.
	 */
	private record Exchange(VerifiedToken pat, String clientId, Duration maxTimeToLive, List<String> audience,
			@Nullable String jkt) {
	}

}
