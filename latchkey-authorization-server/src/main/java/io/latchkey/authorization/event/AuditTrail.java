package io.latchkey.authorization.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Reading the audit log back: newest first, filtered, a page at a time. */
public interface AuditTrail {

	/** One page of records matching {@code query}, newest first. */
	Page read(Query query);

	/**
	 * What to read. {@code user} matches the user a record is about ({@code owner} or
	 * {@code username}), {@code actor} who did it, {@code type} its type exactly or,
	 * ending with {@code .*}, a family of types ({@code token.*}); {@code from} and
	 * {@code to} bound its time ({@code to} exclusive). {@code cursor} is the
	 * {@code next} of the previous page.
	 */
	record Query(@Nullable String user, @Nullable String actor, @Nullable String type, @Nullable Instant from,
			@Nullable Instant to, @Nullable String cursor, int limit) {

		public boolean matches(Map<String, String> fields) {
			if (this.user != null && !this.user.equalsIgnoreCase(fields.get("owner"))
					&& !this.user.equalsIgnoreCase(fields.get("username"))) {
				return false;
			}
			if (this.actor != null && !this.actor.equalsIgnoreCase(fields.get("actor"))) {
				return false;
			}
			String recordType = fields.getOrDefault("type", "");
			if (this.type != null && !(this.type.endsWith(".*")
					? recordType.startsWith(this.type.substring(0, this.type.length() - 1))
					: this.type.equals(recordType))) {
				return false;
			}
			Instant at = at(fields);
			return (this.from == null || (at != null && !at.isBefore(this.from)))
					&& (this.to == null || (at != null && at.isBefore(this.to)));
		}

		private static @Nullable Instant at(Map<String, String> fields) {
			try {
				return Instant.parse(fields.getOrDefault("at", ""));
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

		/**
		 * Whether a record at this time is older than anything the query wants (reading
		 * may stop).
		 */
		public boolean before(Map<String, String> fields) {
			Instant at = at(fields);
			return this.from != null && at != null && at.isBefore(this.from);
		}

	}

	/**
	 * A page: the records (each with its {@code id}, {@code type}, {@code actor},
	 * {@code at} and details) and the cursor of the next page, null when there is none.
	 */
	record Page(List<Map<String, String>> records, @Nullable String next) {
	}

}
