package io.latchkey.auth;

import io.latchkey.testsupport.ConfigurationReferenceTestsBase;

/** The configuration reference documents every property of auth-server, and no other. */
class ConfigurationReferenceTests extends ConfigurationReferenceTestsBase {

	ConfigurationReferenceTests() {
		super("auth-server");
	}

}
