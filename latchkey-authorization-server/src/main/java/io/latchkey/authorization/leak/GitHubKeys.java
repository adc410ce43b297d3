package io.latchkey.authorization.leak;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * GitHub's secret-scanning signing keys, and the check of a report's signature: ECDSA on
 * P-256 with SHA-256 ({@code SHA256withECDSA}, the JDK's) over the raw request body, a
 * DER signature in base64, against the key named by {@code Github-Public-Key-Identifier}.
 * Keys come from the configuration (identifier to PEM public key) and, when a URL is
 * given, from GitHub's meta endpoint
 * ({@code {"public_keys":[{"key_identifier":…,"key":"-----BEGIN PUBLIC KEY-----…"}]}}),
 * fetched on first use, again after {@code refreshEvery}, and again when a report names
 * an identifier not known yet, at most once per {@code refetchAfter} (so that forged
 * identifiers cannot make us fetch on every request). A failed fetch keeps the keys
 * fetched before.
 *
 * @since 0.1
 */
public final class GitHubKeys {

	private static final Log logger = LogFactory.getLog(GitHubKeys.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final int MAX_KEY_ID_LENGTH = 200;

	private final Map<String, PublicKey> configured;

	private final @Nullable URI keysUrl;

	private final Duration refreshEvery;

	private final Duration refetchAfter;

	private final Clock clock;

	private final RestClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	private volatile Map<String, PublicKey> fetched = Map.of();

	private volatile @Nullable Instant fetchedAt;

	private volatile @Nullable Instant triedAt;

	/**
	 * @param configured identifier to PEM public key
	 * @param keysUrl GitHub's meta endpoint of the keys, if they are fetched
	 * @param refreshEvery how long fetched keys are used before they are fetched again
	 * @param refetchAfter the least time between two fetches
	 * @param clock the time
	 * @param client builds the client that fetches the keys (Spring Boot's, so that its
	 * customizers and observations apply); its request factory is replaced by one with
	 * short timeouts
	 * @throws IllegalArgumentException naming the identifier of a key that is not a PEM
	 * EC public key on P-256
	 */
	public GitHubKeys(Map<String, String> configured, @Nullable URI keysUrl, Duration refreshEvery,
			Duration refetchAfter, Clock clock, RestClient.Builder client) {
		Assert.notNull(configured, "configured cannot be null");
		Assert.notNull(client, "client cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Map<String, PublicKey> keys = new LinkedHashMap<>();
		configured.forEach((id, pem) -> {
			try {
				keys.put(id, parse(pem));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(id + ": " + ex.getMessage(), ex);
			}
		});
		this.configured = Map.copyOf(keys);
		this.keysUrl = keysUrl;
		this.refreshEvery = refreshEvery;
		this.refetchAfter = refetchAfter;
		this.clock = clock;
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build());
		requests.setReadTimeout(TIMEOUT);
		this.client = client.clone().requestFactory(requests).build();
	}

	/**
	 * Whether {@code signature} is a valid signature of {@code body} by the key named
	 * {@code keyId}.
	 * @param keyId the key's identifier ({@code Github-Public-Key-Identifier})
	 * @param body the raw request body
	 * @param signature the base64 DER signature ({@code Github-Public-Key-Signature})
	 * @return false for an unknown key, a malformed or a wrong signature
	 */
	public boolean verify(String keyId, byte[] body, String signature) {
		if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH) {
			return false;
		}
		PublicKey key = key(keyId);
		if (key == null) {
			return false;
		}
		try {
			byte[] der = Base64.getDecoder().decode(signature.trim());
			Signature verifier = Signature.getInstance("SHA256withECDSA");
			verifier.initVerify(key);
			verifier.update(body);
			return verifier.verify(der);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			return false;
		}
	}

	/** The key with this identifier: configured, fetched, or fetched now. */
	@Nullable PublicKey key(String keyId) {
		PublicKey key = this.configured.get(keyId);
		if (key != null || this.keysUrl == null) {
			return key;
		}
		Instant now = this.clock.instant();
		Instant fetchedAt = this.fetchedAt;
		boolean stale = fetchedAt == null || !now.isBefore(fetchedAt.plus(this.refreshEvery));
		key = this.fetched.get(keyId);
		if ((key == null || stale) && mayFetch(now)) {
			fetch(this.keysUrl, now);
			key = this.fetched.get(keyId);
		}
		return key;
	}

	private synchronized boolean mayFetch(Instant now) {
		Instant tried = this.triedAt;
		if (tried != null && now.isBefore(tried.plus(this.refetchAfter))) {
			return false;
		}
		this.triedAt = now;
		return true;
	}

	private void fetch(URI url, Instant now) {
		try {
			String body = this.client.get()
				.uri(url)
				.header(HttpHeaders.ACCEPT, "application/json")
				.header(HttpHeaders.USER_AGENT, "Latchkey")
				.retrieve()
				.body(String.class);
			Map<String, PublicKey> keys = new LinkedHashMap<>();
			JsonNode list = this.json.readTree((body != null) ? body : "{}").path("public_keys");
			for (JsonNode entry : list) {
				String id = entry.path("key_identifier").asString("");
				String pem = entry.path("key").asString("");
				if (!id.isEmpty() && !pem.isEmpty()) {
					try {
						keys.put(id, parse(pem));
					}
					catch (IllegalArgumentException ex) {
						logger.warn("GitHub's secret-scanning key " + id + " from " + url + " is not usable: "
								+ ex.getMessage());
					}
				}
			}
			this.fetched = Map.copyOf(keys);
			this.fetchedAt = now;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not fetch GitHub's secret-scanning keys from " + url + " (keeping " + this.fetched.size()
					+ " fetched before): " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * A PEM ({@code -----BEGIN PUBLIC KEY-----}) EC public key on P-256.
	 * @param pem the key
	 * @return the key
	 * @throws IllegalArgumentException if it is not one
	 */
	public static PublicKey parse(String pem) {
		String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
		try {
			PublicKey key = KeyFactory.getInstance("EC")
				.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
			if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
				throw new IllegalArgumentException("not an EC public key on P-256");
			}
			return key;
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			throw new IllegalArgumentException("not a PEM EC public key on P-256", ex);
		}
	}

}
