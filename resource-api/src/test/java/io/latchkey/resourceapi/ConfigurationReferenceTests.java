package io.latchkey.resourceapi;

import io.latchkey.testsupport.ConfigurationReferenceTestsBase;

/** The configuration reference documents every property of resource-api, and no other. */
class ConfigurationReferenceTests extends ConfigurationReferenceTestsBase {

	ConfigurationReferenceTests() {
		super("resource-api");
	}

}
