package io.latchkey.resource;

import io.latchkey.testsupport.ConfigurationReferenceTestsBase;

/**
 * The configuration reference documents every property of latchkey-resource-server, and
 * no other.
 */
class ConfigurationReferenceTests extends ConfigurationReferenceTestsBase {

	ConfigurationReferenceTests() {
		super("latchkey-resource-server");
	}

}
