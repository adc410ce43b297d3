package io.latchkey.core;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one walk down a cause chain: the failure itself or any cause, nothing else. */
class CausesTests {

	@Test
	void findWhenACauseDeepDownIsOfTheTypeThenThatCause() {
		IOException storage = new IOException("connection refused");
		RuntimeException failure = new IllegalStateException("wrapped", new UncheckedIOException(storage));
		assertThat(Causes.find(failure, IOException.class)).isSameAs(storage);
		assertThat(Causes.isCausedBy(failure, IllegalStateException.class)).isTrue();
	}

	@Test
	void findWhenNoCauseIsOfTheTypeThenNull() {
		assertThat(Causes.find(new IllegalStateException("alone"), IOException.class)).isNull();
		assertThat(Causes.isCausedBy(new IllegalStateException("alone"), IOException.class)).isFalse();
	}

}
