package io.latchkey.authorization.autoconfigure;

import java.time.Clock;

import io.latchkey.authorization.access.AccessPolicy;
import io.latchkey.authorization.access.RightsCatalog;
import io.latchkey.authorization.support.RequestValidator;
import jakarta.validation.Validator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Who may do what, the rights there are, the rules of request bodies, and password
 * hashing.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	/** Who may do what: the one policy every door asks. */
	@Bean
	@ConditionalOnMissingBean
	AccessPolicy latchkeyAccessPolicy(LatchkeyProperties properties, ObjectProvider<Clock> clock) {
		AccessPolicy policy = new AccessPolicy(properties.portal().reauthenticateAfter());
		policy.setClock(Clocks.of(clock));
		return policy;
	}

	@Bean
	@ConditionalOnMissingBean
	RightsCatalog latchkeyRightsCatalog(LatchkeyProperties properties) {
		return new RightsCatalog(properties.rights());
	}

	@Bean
	@ConditionalOnMissingBean
	RequestValidator latchkeyRequestValidator(Validator validator) {
		return new RequestValidator(validator);
	}

	@Bean
	@ConditionalOnMissingBean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

}
