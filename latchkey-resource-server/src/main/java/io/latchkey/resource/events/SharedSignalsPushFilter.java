package io.latchkey.resource.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The push endpoint of RFC 8935, ending every request it is given (it belongs in a
 * security filter chain that matches only its path): a {@code POST} whose
 * {@code Authorization} is not the header the receiver gave its stream gets 401 and
 * changes nothing, so that no one else can empty the cache; the transmitter's
 * {@code application/secevent+jwt} is verified and applied by the
 * {@link SharedSignalsReceiver} and answered 202, or 400 with the RFC 8935 error object
 * ({@code err}, {@code description}) after the cache was emptied.
 *
 * @since 0.1
 */
public final class SharedSignalsPushFilter extends OncePerRequestFilter {

	/** A SET is small; anything larger is refused unread. */
	private static final int MAX_BYTES = 64 * 1024;

	private static final MediaType SECEVENT = MediaType.parseMediaType("application/secevent+jwt");

	private final SharedSignalsReceiver receiver;

	private final JsonMapper json = JsonMapper.builder().build();

	public SharedSignalsPushFilter(SharedSignalsReceiver receiver) {
		Assert.notNull(receiver, "receiver cannot be null");
		this.receiver = receiver;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException {
		if (!"POST".equals(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, "POST");
			response.setStatus(HttpStatus.METHOD_NOT_ALLOWED.value());
			return;
		}
		if (!this.receiver.isTransmitter(request.getHeader(HttpHeaders.AUTHORIZATION))) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			error(response, new SharedSignalsReceiver.PushError(401, "authentication_failed",
					"The Authorization header is not the one this receiver gave its stream"));
			return;
		}
		String set = read(request);
		SharedSignalsReceiver.PushError refused = this.receiver.receive(set);
		if (refused == null) {
			response.setStatus(HttpStatus.ACCEPTED.value());
			return;
		}
		if (refused.status() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			response.setHeader(HttpHeaders.RETRY_AFTER, "1");
		}
		error(response, refused);
	}

	/** The SET, or {@code null} if the body is not one. */
	private static @Nullable String read(HttpServletRequest request) throws IOException {
		try {
			if (request.getContentType() == null
					|| !SECEVENT.isCompatibleWith(MediaType.parseMediaType(request.getContentType()))) {
				return null;
			}
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
		try (InputStream body = request.getInputStream()) {
			byte[] bytes = body.readNBytes(MAX_BYTES + 1);
			String set = new String(bytes, StandardCharsets.US_ASCII).strip();
			return (bytes.length > MAX_BYTES || set.isEmpty()) ? null : set;
		}
	}

	private void error(HttpServletResponse response, SharedSignalsReceiver.PushError error) throws IOException {
		response.setStatus(error.status());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream()
			.write(this.json.writeValueAsBytes(Map.of("err", error.err(), "description", error.description())));
	}

}
