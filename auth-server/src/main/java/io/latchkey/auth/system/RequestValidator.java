package io.latchkey.auth.system;

import java.util.Comparator;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

/**
 * Validates request records inside the services, so that the API and the portal pages share
 * one set of rules: the first violation becomes a 400 naming its field.
 */
@Component
public class RequestValidator {

	private final Validator validator;

	RequestValidator(Validator validator) {
		this.validator = validator;
	}

	public <T> T check(T request) {
		this.validator.validate(request)
			.stream()
			.min(Comparator.comparing((ConstraintViolation<T> violation) -> violation.getPropertyPath().toString()))
			.ifPresent((violation) -> {
				throw ApiException.badField(violation.getPropertyPath().toString().replaceAll("\\[\\d*]\\.?.*", ""),
						violation.getMessage());
			});
		return request;
	}

}
