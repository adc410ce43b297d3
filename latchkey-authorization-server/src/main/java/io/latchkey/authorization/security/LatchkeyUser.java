package io.latchkey.authorization.security;

import java.io.Serial;
import java.time.Instant;
import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * The principal of a password sign-in: the account's uid and password stamp as they were
 * at sign-in, and when that was. A portal session compares them with the directory on
 * every request (see {@link LiveSessionFilter}).
 */
public final class LatchkeyUser extends User {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String uid;

	private final String stamp;

	private final Instant signedInAt;

	LatchkeyUser(String username, String passwordHash, boolean enabled,
			Collection<? extends GrantedAuthority> authorities, String uid, String stamp, Instant signedInAt) {
		super(username, passwordHash, enabled, true, true, true, authorities);
		this.uid = uid;
		this.stamp = stamp;
		this.signedInAt = signedInAt;
	}

	public String uid() {
		return this.uid;
	}

	public String stamp() {
		return this.stamp;
	}

	public Instant signedInAt() {
		return this.signedInAt;
	}

	@Override
	public boolean equals(Object other) {
		return super.equals(other);
	}

	@Override
	public int hashCode() {
		return super.hashCode();
	}

}
