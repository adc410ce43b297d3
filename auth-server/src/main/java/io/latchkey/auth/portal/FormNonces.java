package io.latchkey.auth.portal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Component;

/**
 * One-time nonces for the generate forms: each form carries one, generating uses it up,
 * so that reloading or resubmitting the result page never mints a second token. The
 * session keeps the last few; a nonce is a random value, never a token.
 */
@Component
class FormNonces {

	private static final String ATTRIBUTE = FormNonces.class.getName();

	private static final int KEPT = 20;

	private final SecureRandom random = new SecureRandom();

	/** A new nonce for a form about to be shown. */
	String issue(HttpSession session) {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		String nonce = HexFormat.of().formatHex(bytes);
		LinkedHashSet<String> nonces = nonces(session);
		nonces.add(nonce);
		while (nonces.size() > KEPT) {
			nonces.remove(nonces.iterator().next());
		}
		session.setAttribute(ATTRIBUTE, nonces);
		return nonce;
	}

	/** Whether the nonce was issued and not used yet; uses it up. */
	boolean consume(HttpSession session, String nonce) {
		LinkedHashSet<String> nonces = nonces(session);
		boolean fresh = nonce != null && nonces.remove(nonce);
		session.setAttribute(ATTRIBUTE, nonces);
		return fresh;
	}

	/**
	 * A copy of the session's nonces: a session in Redis saves an attribute only when it
	 * is set again.
	 */
	private static LinkedHashSet<String> nonces(HttpSession session) {
		LinkedHashSet<String> nonces = new LinkedHashSet<>();
		if (session.getAttribute(ATTRIBUTE) instanceof Set<?> stored) {
			stored.forEach((nonce) -> nonces.add((String) nonce));
		}
		return nonces;
	}

}
