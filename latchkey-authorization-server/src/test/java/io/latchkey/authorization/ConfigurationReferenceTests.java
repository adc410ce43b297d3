package io.latchkey.authorization;

import io.latchkey.testsupport.ConfigurationReferenceTestsBase;

/**
 * The configuration reference documents every property of latchkey-authorization-server,
 * and no other.
 */
class ConfigurationReferenceTests extends ConfigurationReferenceTestsBase {

	ConfigurationReferenceTests() {
		super("latchkey-authorization-server");
	}

}
