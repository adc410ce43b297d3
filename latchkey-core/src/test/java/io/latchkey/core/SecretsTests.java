package io.latchkey.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTests {

	@Test
	void sameWhenEqualThenTrueElseFalseWhateverTheLengths() {
		assertThat(Secrets.same("3f9a-long-random-secret", "3f9a-long-random-secret")).isTrue();
		assertThat(Secrets.same("3f9a-long-random-secret", "3f9a-long-random-secreT")).isFalse();
		assertThat(Secrets.same("3f9a", "3f9a-long-random-secret")).isFalse();
		assertThat(Secrets.same("", "3f9a-long-random-secret")).isFalse();
	}

}
