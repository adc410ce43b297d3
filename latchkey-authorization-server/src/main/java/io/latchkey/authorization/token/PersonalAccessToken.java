package io.latchkey.authorization.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A stored personal access token. The token string itself is never stored: {@code digest}
 * is its SHA-256 and {@code hint} the part that lists may show. An empty {@code scopes}
 * means no narrowing: the token carries all of its owner's current rights. A token made
 * for somebody else has a {@code ceiling}, its maker's rights at creation within the
 * requested scopes, which it never exceeds whatever its owner gains later ({@code null}:
 * made by its owner, no ceiling). An empty {@code allowedIps} means any client address. A
 * rotated token names its successor ({@code rotatedTo}) and stops working at
 * {@code retiresAt} (the rotation, or the end of its overlap); every token of one
 * rotation chain shares its {@code family} (the id of the chain's first token).
 * {@code recentUses} holds the last distinct client addresses it was used from, newest
 * first. Its {@code audience} names the services (their client ids) where it may be used
 * ({@code null}: any, as for tokens made before audiences), and {@code jkt} the key it is
 * bound to ({@code null}: a bearer token), whose proof every use must carry. New tokens
 * are made with {@link #builder()}.
 *
 * @since 0.1
 */
public record PersonalAccessToken(String id, String digest, String hint, String owner, String ownerUid,
		@Nullable String description, Set<String> scopes, Instant createdAt, String createdBy, Instant expiresAt,
		@Nullable Instant lastUsedAt, @Nullable String lastUsedFrom, String family, List<String> allowedIps,
		@Nullable String rotatedTo, @Nullable Instant retiresAt, List<Use> recentUses, @Nullable Set<String> ceiling,
		@Nullable Set<String> audience, @Nullable String jkt) {

	/** How many distinct client addresses a token remembers. */
	public static final int RECENT_USES = 5;

	public PersonalAccessToken {
		scopes = Set.copyOf(scopes);
		allowedIps = List.copyOf(allowedIps);
		recentUses = List.copyOf(recentUses);
		ceiling = (ceiling != null) ? Set.copyOf(ceiling) : null;
		audience = (audience != null) ? Set.copyOf(audience) : null;
	}

	/** A new token: never used, never rotated; its family is its own id unless set. */
	public static Builder builder() {
		return new Builder();
	}

	/** When it stops working: its expiry, or earlier once it was rotated. */
	public Instant endsAt() {
		return (this.retiresAt != null && this.retiresAt.isBefore(this.expiresAt)) ? this.retiresAt : this.expiresAt;
	}

	public boolean isExpiredAt(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	/** Whether it was rotated away and its overlap, if any, is over at {@code now}. */
	public boolean isRetiredAt(Instant now) {
		return this.retiresAt != null && !now.isBefore(this.retiresAt);
	}

	/**
	 * Whether it works at {@code now}, as far as the record alone says (its owner is
	 * checked apart).
	 */
	public boolean isLiveAt(Instant now) {
		return now.isBefore(endsAt());
	}

	/**
	 * Whether the service with this client id may use the token: every service if the
	 * token has no audience (one made before audiences existed, or where none is the
	 * default).
	 * @param clientId a resource service's client id, or
	 * {@link ResourceServices#MANAGEMENT_API}
	 * @return whether the token is meant for it
	 */
	public boolean isMeantFor(String clientId) {
		return this.audience == null || this.audience.contains(clientId);
	}

	/** Whether the token is bound to a key (RFC 9449 DPoP): {@link #jkt()} is set. */
	public boolean isBound() {
		return this.jkt != null;
	}

	/** A use of the token from a client address. */
	public record Use(String address, Instant at) {
	}

	/**
	 * Builds a new token record: what generating or rotating decides, nothing of its
	 * later life.
	 */
	public static final class Builder {

		private @Nullable String id;

		private @Nullable String digest;

		private @Nullable String hint;

		private @Nullable String owner;

		private @Nullable String ownerUid;

		private @Nullable String description;

		private Set<String> scopes = Set.of();

		private @Nullable Set<String> ceiling;

		private @Nullable Instant createdAt;

		private @Nullable String createdBy;

		private @Nullable Instant expiresAt;

		private @Nullable String family;

		private List<String> allowedIps = List.of();

		private @Nullable Set<String> audience;

		private @Nullable String jkt;

		private Builder() {
		}

		public Builder id(String id) {
			this.id = id;
			return this;
		}

		/** The SHA-256 of the token string, and the hint lists show. */
		public Builder digest(String digest, String hint) {
			this.digest = digest;
			this.hint = hint;
			return this;
		}

		/** The owner's canonical name and account uid. */
		public Builder owner(String owner, String ownerUid) {
			this.owner = owner;
			this.ownerUid = ownerUid;
			return this;
		}

		public Builder description(@Nullable String description) {
			this.description = description;
			return this;
		}

		/** The narrowing (empty: none) and the ceiling ({@code null}: none). */
		public Builder scopes(Set<String> scopes, @Nullable Set<String> ceiling) {
			this.scopes = scopes;
			this.ceiling = ceiling;
			return this;
		}

		/** When and by whom it was made. */
		public Builder created(Instant createdAt, String createdBy) {
			this.createdAt = createdAt;
			this.createdBy = createdBy;
			return this;
		}

		public Builder expiresAt(Instant expiresAt) {
			this.expiresAt = expiresAt;
			return this;
		}

		/** The rotation chain it belongs to (the id of the chain's first token). */
		public Builder family(String family) {
			this.family = family;
			return this;
		}

		public Builder allowedIps(List<String> allowedIps) {
			this.allowedIps = allowedIps;
			return this;
		}

		/** The services it may be used at ({@code null}: any). */
		public Builder audience(@Nullable Set<String> audience) {
			this.audience = audience;
			return this;
		}

		/**
		 * The RFC 7638 thumbprint of the key it is bound to ({@code null}: a bearer
		 * token).
		 */
		public Builder jkt(@Nullable String jkt) {
			this.jkt = jkt;
			return this;
		}

		public PersonalAccessToken build() {
			Assert.state(this.id != null && this.digest != null && this.hint != null, "id and digest are required");
			Assert.state(this.owner != null && this.ownerUid != null, "owner is required");
			Assert.state(this.createdAt != null && this.createdBy != null && this.expiresAt != null,
					"createdAt, createdBy and expiresAt are required");
			return new PersonalAccessToken(this.id, this.digest, this.hint, this.owner, this.ownerUid, this.description,
					this.scopes, this.createdAt, this.createdBy, this.expiresAt, null, null,
					(this.family != null) ? this.family : this.id, this.allowedIps, null, null, List.of(), this.ceiling,
					this.audience, this.jkt);
		}

	}

}
