package io.latchkey.testsupport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The test every module with configuration properties has: the configuration reference
 * documents each of its properties, as its metadata (written from the properties'
 * javadoc) describes them, and names no other. A module's
 * {@code ConfigurationReferenceTests} extends it, naming the module.
 */
public abstract class ConfigurationReferenceTestsBase {

	private final String module;

	protected ConfigurationReferenceTestsBase(String module) {
		this.module = module;
	}

	@Test
	void configurationReferenceWhenComparedWithTheMetadataThenItsSectionMatches() {
		ConfigurationReference.Comparison section = ConfigurationReference.compare(this.module);
		assertEquals(section.expected(), section.actual(), () -> "docs/configuration.md, section of " + this.module
				+ " (write it with -Dlatchkey.docs.write=true)");
	}

}
