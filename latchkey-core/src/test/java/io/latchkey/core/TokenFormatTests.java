package io.latchkey.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

/** Property-based tests of the token format. */
class TokenFormatTests {

	private final TokenFormat format = new TokenFormat("lkp");

	@Property(tries = 500)
	void generateWhenAnyThenWellFormedWithPrefixAndLength(@ForAll @IntRange(min = 0, max = 3) int ignored) {
		String token = this.format.generate();
		assertThat(token).startsWith("lkp_").hasSize(4 + 36).matches("lkp_[0-9A-Za-z]{36}");
		assertThat(this.format.isWellFormed(token)).isTrue();
	}

	@Property(tries = 1000)
	void isWellFormedWhenOneCharacterChangedThenRejected(@ForAll @IntRange(min = 4, max = 39) int position,
			@ForAll("base62") char replacement) {
		String token = this.format.generate();
		String changed = token.substring(0, position) + replacement + token.substring(position + 1);
		if (!changed.equals(token)) {
			assertThat(this.format.isWellFormed(changed)).isFalse();
		}
	}

	@Property(tries = 1000)
	void isWellFormedWhenArbitraryStringThenRejected(@ForAll @StringLength(max = 60) String candidate) {
		assertThat(this.format.isWellFormed(candidate)).isFalse();
		assertThat(this.format.isWellFormed("lkp_" + candidate)).isFalse();
	}

	@Property(tries = 200)
	void isWellFormedWhenTruncatedOrExtendedThenRejected(@ForAll("base62") char extra) {
		String token = this.format.generate();
		assertThat(this.format.isWellFormed(token.substring(0, token.length() - 1))).isFalse();
		assertThat(this.format.isWellFormed(token + extra)).isFalse();
	}

	@Property(tries = 200)
	void isWellFormedWhenOtherDeploymentsPrefixThenRejected(@ForAll @IntRange(min = 0, max = 3) int ignored) {
		String foreign = new TokenFormat("ghp").generate();
		assertThat(this.format.hasPrefix(foreign)).isFalse();
		assertThat(this.format.isWellFormed(foreign)).isFalse();
	}

	@Property(tries = 200)
	void hintWhenGeneratedThenPrefixAndLastFourOnly(@ForAll @IntRange(min = 0, max = 3) int ignored) {
		String token = this.format.generate();
		String hint = this.format.hint(token);
		assertThat(hint).isEqualTo("lkp_…" + token.substring(token.length() - 4));
		assertThat(hint).doesNotContain(token.substring(4, token.length() - 4));
	}

	@Property(tries = 200)
	void base62WhenChecksumThenSixCharactersAndReversible(@ForAll("crc") long value) {
		String encoded = TokenFormat.base62(value, 6);
		long decoded = 0;
		for (char c : encoded.toCharArray()) {
			decoded = decoded * 62 + TokenFormat.ALPHABET.indexOf(c);
		}
		assertThat(encoded).hasSize(6);
		assertThat(decoded).isEqualTo(value);
	}

	@Provide
	Arbitrary<Character> base62() {
		return Arbitraries.of(TokenFormat.ALPHABET.chars().mapToObj((c) -> (char) c).toList());
	}

	@Provide
	Arbitrary<Long> crc() {
		return Arbitraries.longs().between(0, 0xFFFFFFFFL);
	}

}
