package io.latchkey.testsupport;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NoTokensInLogsExtensionTests {

	private static final String TOKEN = "lkp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5";

	@Test
	void leaksInWhenATokenStandsInAMessageThenItIsFound() {
		assertThat(NoTokensInLogsExtension
			.leaksIn(List.of("Bearer " + TOKEN, "token=" + TOKEN + "&x=1", "{\"token\":\"" + TOKEN + "\"}", TOKEN)))
			.hasSize(4);
	}

	@Test
	void leaksInWhenAnotherPrefixHasTheShapeThenItIsFoundToo() {
		assertThat(NoTokensInLogsExtension.leaksIn(List.of("got acme_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5")))
			.hasSize(1);
	}

	@Test
	void leaksInWhenTheShapeIsInsideALongerRandomStringThenItIsNotAToken() {
		String code = "moRE03gLYIIxaD-a7pbgla01XwfluR85AgIBIgeoa39gE5ohcocO4VmoOsu_a0sIVr8wukgNumhYAVFkw78Px3wNvx1delSY_s4jD";
		assertThat(NoTokensInLogsExtension.leaksIn(List.of("Redirecting to http://127.0.0.1:9/callback?code=" + code)))
			.isEmpty();
	}

	@Test
	void leaksInWhenTheValueRunsOnThenItIsNotAToken() {
		assertThat(NoTokensInLogsExtension.leaksIn(List.of(TOKEN + "x"))).isEmpty();
	}

}
