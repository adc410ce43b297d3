package io.latchkey.authorization.oauth;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedSecretCacheTests {

	private final AtomicInteger checks = new AtomicInteger();

	private final PasswordEncoder real = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	private final VerifiedSecretCache cache = new VerifiedSecretCache(new PasswordEncoder() {
		@Override
		public String encode(CharSequence raw) {
			return VerifiedSecretCacheTests.this.real.encode(raw);
		}

		@Override
		public boolean matches(CharSequence raw, String encoded) {
			VerifiedSecretCacheTests.this.checks.incrementAndGet();
			return VerifiedSecretCacheTests.this.real.matches(raw, encoded);
		}
	}, Duration.ofMinutes(10));

	@Test
	void matchesWhenSameSecretTwiceThenHashCheckedOnce() {
		String stored = this.real.encode("s3cret");
		assertThat(this.cache.matches("s3cret", stored)).isTrue();
		assertThat(this.cache.matches("s3cret", stored)).isTrue();
		assertThat(this.checks).hasValue(1);
	}

	@Test
	void encodeWhenSpringUpgradesAVerifiedSecretThenTheNewEncodingIsVerifiedWithoutAnotherCheck() {
		String upgraded = this.cache.encode("s3cret");
		assertThat(this.cache.isVerified("s3cret", upgraded)).isTrue();
		assertThat(this.cache.matches("s3cret", upgraded)).isTrue();
		assertThat(this.cache.isVerified("other", upgraded)).isFalse();
		assertThat(this.checks).hasValue(0);
	}

	@Test
	void matchesWhenWrongSecretThenNeverCachedAndAlwaysChecked() {
		String stored = this.real.encode("s3cret");
		assertThat(this.cache.matches("guess", stored)).isFalse();
		assertThat(this.cache.matches("guess", stored)).isFalse();
		assertThat(this.checks).hasValue(2);
	}

	@Test
	void matchesWhenStoredSecretRotatedThenOldSecretChecksAgainAndFails() {
		String before = this.real.encode("old");
		assertThat(this.cache.matches("old", before)).isTrue();
		String after = this.real.encode("new");
		assertThat(this.cache.matches("old", after)).isFalse();
		assertThat(this.cache.matches("new", after)).isTrue();
	}

}
