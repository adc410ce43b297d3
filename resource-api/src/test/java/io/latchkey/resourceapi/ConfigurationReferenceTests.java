package io.latchkey.resourceapi;

import io.latchkey.testsupport.ConfigurationReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference documents every property of this module, as its
 * configuration metadata (written from the properties' javadoc) describes them, and names
 * no other.
 */
class ConfigurationReferenceTests {

	@Test
	void configurationReferenceWhenComparedWithTheMetadataThenItsSectionMatches() {
		ConfigurationReference.Comparison section = ConfigurationReference.compare("resource-api");
		assertThat(section.actual())
			.as("docs/configuration.md, section of resource-api (write it with -Dlatchkey.docs.write=true)")
			.isEqualTo(section.expected());
	}

}
