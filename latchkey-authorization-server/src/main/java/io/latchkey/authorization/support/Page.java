package io.latchkey.authorization.support;

import java.util.List;

import io.latchkey.authorization.error.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list: its items, which page it is, and how many items there are in all.
 * Pages are numbered from 1; the API sends them with a {@code Link} header (RFC 8288) and
 * {@code X-Total-Count}, the body staying a plain JSON array.
 */
public record Page<T>(List<T> items, Request request, int total) {

	public Page {
		items = List.copyOf(items);
	}

	public int lastPage() {
		return Math.max(1, (this.total + this.request.size() - 1) / this.request.size());
	}

	/** Which page to show; the size is bounded so that no answer is unbounded. */
	public record Request(int page, int size) {

		public static final int DEFAULT_SIZE = 50;

		public static final int MAX_SIZE = 100;

		/**
		 * The request for the given query parameters, or a 400 naming the one at fault.
		 */
		public static Request of(@Nullable Integer page, @Nullable Integer size) {
			int number = (page != null) ? page : 1;
			int count = (size != null) ? size : DEFAULT_SIZE;
			if (number < 1) {
				throw new InvalidRequestException("page", "must be 1 or more");
			}
			if (count < 1 || count > MAX_SIZE) {
				throw new InvalidRequestException("size", "must be between 1 and " + MAX_SIZE);
			}
			return new Request(number, count);
		}

		public static Request first(int size) {
			return new Request(1, size);
		}

		/** This page's part of {@code all}. */
		public <E> List<E> slice(List<E> all) {
			long from = (long) (this.page - 1) * this.size;
			if (from >= all.size()) {
				return List.of();
			}
			return all.subList((int) from, (int) Math.min(all.size(), from + this.size));
		}

	}

}
