package io.latchkey.authorization.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.latchkey.authorization.error.ConflictException;
import io.latchkey.authorization.error.InvalidRequestException;
import io.latchkey.authorization.error.LatchkeyException;
import io.latchkey.authorization.error.NotAllowedException;
import io.latchkey.authorization.error.NotFoundException;
import io.latchkey.core.Causes;
import tools.jackson.core.JacksonException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal of a REST controller as an RFC 9457 problem: the services' domain
 * refusals (bad input 400, not allowed 403, not found 404, conflict 409) and Spring MVC's
 * own. Bad input names the field in {@code detail} and in an {@code errors} array of
 * {@code {field, message}}; a refusal by a rule of who may do what names it in
 * {@code rule} (and {@code title}). (A Redis outage propagates to the outage filter,
 * which answers 503.) No problem ever echoes a submitted token or password. Pages get
 * their errors from their own advice. It comes before Spring Boot's own problem-details
 * handler, which does not name fields.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
public class ProblemAdvice extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ResponseEntity<Object> handleRefusal(LatchkeyException ex) {
		HttpStatus status = switch (ex) {
			case InvalidRequestException invalid -> HttpStatus.BAD_REQUEST;
			case NotAllowedException notAllowed -> HttpStatus.FORBIDDEN;
			case NotFoundException notFound -> HttpStatus.NOT_FOUND;
			case ConflictException conflict -> HttpStatus.CONFLICT;
		};
		if (ex.field() != null) {
			return badRequest(List.of(Map.of("field", ex.field(), "message", String.valueOf(ex.getMessage()))));
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		if (ex.rule() != null) {
			problem.setTitle(ex.rule().title());
			problem.setProperty("rule", ex.rule().code());
		}
		return ResponseEntity.status(status).body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> Map.of("field", error.getField(), "message", messageOf(error)))
			.toList();
		return badRequest(errors);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> Map.of("field", String.valueOf(result.getMethodParameter().getParameterName()),
						"message", String.valueOf(error.getDefaultMessage()))))
			.toList();
		return badRequest(errors);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		BodyTooLargeException tooLarge = Causes.find(ex, BodyTooLargeException.class);
		if (tooLarge != null) {
			return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
		}
		if (ex.getCause() instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
			String field = jackson.getPath()
				.stream()
				.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
						: "[" + reference.getIndex() + "]")
				.collect(Collectors.joining("."))
				.replace(".[", "[");
			return badRequest(List.of(Map.of("field", field, "message", "has the wrong type or format")));
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request body is missing or is not valid JSON");
		return ResponseEntity.badRequest().body(problem);
	}

	private static ResponseEntity<Object> badRequest(List<Map<String, String>> errors) {
		String detail = errors.stream()
			.map((error) -> error.get("field") + ": " + error.get("message"))
			.collect(Collectors.joining("; "));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(problem);
	}

	private static String messageOf(FieldError error) {
		return (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid";
	}

}
