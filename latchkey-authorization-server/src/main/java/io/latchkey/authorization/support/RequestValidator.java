package io.latchkey.authorization.support;

import java.util.Comparator;

import io.latchkey.authorization.error.InvalidRequestException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * Validates request records inside the services, so that the API and the portal pages
 * share one set of rules: the first violation becomes a 400 naming its field.
 */
public final class RequestValidator {

	private final Validator validator;

	public RequestValidator(Validator validator) {
		this.validator = validator;
	}

	public <T> T check(T request) {
		this.validator.validate(request)
			.stream()
			.min(Comparator.comparing((ConstraintViolation<T> violation) -> violation.getPropertyPath().toString()))
			.ifPresent((violation) -> {
				throw new InvalidRequestException(
						violation.getPropertyPath().toString().replaceAll("\\[\\d*]\\.?.*", ""),
						violation.getMessage());
			});
		return request;
	}

}
