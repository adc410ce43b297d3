package io.latchkey.authorization.oauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.Assert;

/**
 * Remembers client secrets that were verified recently, so that a resource service's
 * every introspection call does not pay for BCrypt. Entries are keyed by an HMAC (with a
 * key that lives only in this process) of the presented secret and the stored hash, never
 * by the secret: a changed stored secret misses, and a heap dump yields nothing to
 * replay.
 */
public final class VerifiedSecretCache implements PasswordEncoder {

	private final PasswordEncoder delegate;

	private final Cache<String, Boolean> verified;

	private final ThreadLocal<Mac> hmac;

	public VerifiedSecretCache(PasswordEncoder delegate, Duration timeToLive) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
		this.verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(timeToLive).build();
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		SecretKeySpec key = new SecretKeySpec(bytes, "HmacSHA256");
		this.hmac = ThreadLocal.withInitial(() -> {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(key);
				return mac;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
			}
		});
	}

	/**
	 * Encodes a secret, and remembers that it matches its new encoding: Spring upgrades a
	 * verified {@code {noop}} secret to BCrypt, and the next call then finds it verified.
	 */
	@Override
	public String encode(CharSequence rawPassword) {
		String encoded = this.delegate.encode(rawPassword);
		if (rawPassword != null && encoded != null) {
			this.verified.put(fingerprint(rawPassword, encoded), Boolean.TRUE);
		}
		return encoded;
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		if (rawPassword == null || encodedPassword == null) {
			return false;
		}
		String fingerprint = fingerprint(rawPassword, encodedPassword);
		if (this.verified.getIfPresent(fingerprint) != null) {
			return true;
		}
		boolean matches = this.delegate.matches(rawPassword, encodedPassword);
		if (matches) {
			this.verified.put(fingerprint, Boolean.TRUE);
		}
		return matches;
	}

	/**
	 * Whether this secret was verified against this stored hash lately; never checks a
	 * hash itself.
	 */
	boolean isVerified(CharSequence rawPassword, String encodedPassword) {
		return this.verified.getIfPresent(fingerprint(rawPassword, encodedPassword)) != null;
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	/**
	 * Each thread keeps its own keyed {@link Mac}: looking one up costs more than the
	 * HMAC itself.
	 */
	private String fingerprint(CharSequence rawPassword, String encodedPassword) {
		Mac mac = this.hmac.get();
		mac.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
		mac.update((byte) 0);
		return HexFormat.of().formatHex(mac.doFinal(encodedPassword.getBytes(StandardCharsets.UTF_8)));
	}

}
