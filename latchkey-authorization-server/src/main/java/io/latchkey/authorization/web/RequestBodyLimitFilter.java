package io.latchkey.authorization.web;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body: a declared length over the limit gets 413 at once, and a
 * body sent without a length stops being read at the limit (the request then fails with
 * 413 too, see {@link BodyTooLargeException}). Nothing the API accepts comes near the
 * limit, except batches of machines on paths given a limit of their own (GitHub's secret
 * scanning reports, up to a thousand tokens).
 */
public final class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final Map<String, Long> paths;

	public RequestBodyLimitFilter(long maxBytes) {
		this(maxBytes, Map.of());
	}

	/**
	 * @param maxBytes the largest body
	 * @param paths the largest body of requests to these paths, exactly (no path
	 * parameters, no trailing slash), in place of {@code maxBytes}
	 */
	public RequestBodyLimitFilter(long maxBytes, Map<String, Long> paths) {
		Assert.isTrue(maxBytes > 0, "maxBytes must be positive");
		Assert.notNull(paths, "paths cannot be null");
		this.maxBytes = maxBytes;
		this.paths = Map.copyOf(paths);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long max = this.paths.getOrDefault(request.getRequestURI().substring(request.getContextPath().length()),
				this.maxBytes);
		if (request.getContentLengthLong() > max) {
			ProblemResponses.write(response, HttpStatus.CONTENT_TOO_LARGE,
					"The request body is larger than " + max + " bytes");
			return;
		}
		chain.doFilter(new Bounded(request, max), response);
	}

	private static final class Bounded extends HttpServletRequestWrapper {

		private final long maxBytes;

		private ServletInputStream stream;

		Bounded(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				ServletInputStream body = super.getInputStream();
				this.stream = new ServletInputStream() {

					private long read;

					@Override
					public int read() throws IOException {
						int b = body.read();
						if (b >= 0) {
							count(1);
						}
						return b;
					}

					@Override
					public int read(byte[] buffer, int offset, int length) throws IOException {
						int n = body.read(buffer, offset, length);
						if (n > 0) {
							count(n);
						}
						return n;
					}

					private void count(int n) throws IOException {
						this.read += n;
						if (this.read > Bounded.this.maxBytes) {
							throw new BodyTooLargeException(Bounded.this.maxBytes);
						}
					}

					@Override
					public boolean isFinished() {
						return body.isFinished();
					}

					@Override
					public boolean isReady() {
						return body.isReady();
					}

					@Override
					public void setReadListener(ReadListener listener) {
						body.setReadListener(listener);
					}
				};
			}
			return this.stream;
		}

	}

}
