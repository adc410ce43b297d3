package io.latchkey.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Who the client is behind proxies ({@code latchkey.http.trusted-proxies}): only a peer
 * inside one of these ranges may say who it forwards for, in {@code X-Forwarded-For} or
 * RFC 7239 {@code Forwarded}, and the client is the first hop, walking from the right,
 * that is not a trusted proxy. Anything else a request says about its origin is ignored:
 * without trusted proxies (the default) the client is the peer itself. A hop that is not
 * an address literal ({@code unknown}, an obfuscated name) ends the walk at the trusted
 * hop before it, and so does a request carrying both headers that disagree (one of them
 * was not written by the proxy), so that the answer is never an address a client chose.
 * The servlet filters of both libraries use it.
 */
public final class TrustedProxies {

	/**
	 * The request headers that name forwarded clients; nothing else reads them once this
	 * has.
	 */
	public static final List<String> HEADERS = List.of("Forwarded", "X-Forwarded-For");

	private static final TrustedProxies NONE = new TrustedProxies(List.of());

	private final List<AddressRange> ranges;

	private TrustedProxies(List<AddressRange> ranges) {
		this.ranges = List.copyOf(ranges);
	}

	/**
	 * The proxies in these CIDR ranges ({@code 10.0.0.0/8}; a bare address is a range of
	 * one).
	 * @throws IllegalArgumentException if one is not an address or range
	 */
	public static TrustedProxies of(List<String> cidrs) {
		return cidrs.isEmpty() ? NONE : new TrustedProxies(AddressRange.parseAll(cidrs));
	}

	/** No proxy is trusted: the client is always the peer. */
	public static TrustedProxies none() {
		return NONE;
	}

	public boolean isEmpty() {
		return this.ranges.isEmpty();
	}

	/** Whether the peer is a trusted proxy, whose forwarded headers count. */
	public boolean trusts(@Nullable String peer) {
		return !this.ranges.isEmpty() && AddressRange.anyContains(this.ranges, peer);
	}

	/**
	 * The client's address: the peer's as the server gave it, or a forwarded one in
	 * canonical form.
	 * @param peer the address the connection came from
	 * @param forwarded the values of every {@code Forwarded} header, in order
	 * @param forwardedFor the values of every {@code X-Forwarded-For} header, in order
	 */
	public String clientAddress(String peer, List<String> forwarded, List<String> forwardedFor) {
		if (!trusts(peer) || (forwarded.isEmpty() && forwardedFor.isEmpty())) {
			return peer;
		}
		String self = canonicalOr(peer);
		if (forwarded.isEmpty()) {
			return walk(self, forwardedForHops(forwardedFor));
		}
		String byForwarded = walk(self, forwardedHops(forwarded));
		if (forwardedFor.isEmpty()) {
			return byForwarded;
		}
		String byForwardedFor = walk(self, forwardedForHops(forwardedFor));
		return byForwarded.equals(byForwardedFor) ? byForwarded : self;
	}

	/**
	 * From the right: the first hop that is not a trusted proxy; a hop that is no address
	 * stops at the one before.
	 */
	private String walk(String peer, List<String> hops) {
		String client = peer;
		for (int i = hops.size() - 1; i >= 0; i--) {
			String hop = AddressRange.canonical(hops.get(i));
			if (hop == null) {
				return client;
			}
			client = hop;
			if (!AddressRange.anyContains(this.ranges, hop)) {
				return hop;
			}
		}
		return client;
	}

	private static List<String> forwardedForHops(List<String> values) {
		List<String> hops = new ArrayList<>();
		for (String value : values) {
			for (String hop : value.split(",")) {
				hops.add(withoutPort(hop.strip()));
			}
		}
		return hops;
	}

	/**
	 * The {@code for=} of each element of RFC 7239 {@code Forwarded} values; an element
	 * without one is unknown.
	 */
	private static List<String> forwardedHops(List<String> values) {
		List<String> hops = new ArrayList<>();
		for (String value : values) {
			for (String element : value.split(",")) {
				String node = "unknown";
				for (String pair : element.split(";")) {
					String[] nameAndValue = pair.strip().split("=", 2);
					if (nameAndValue.length == 2 && "for".equals(nameAndValue[0].strip().toLowerCase(Locale.ROOT))) {
						node = unquoted(nameAndValue[1].strip());
					}
				}
				hops.add(withoutPort(node));
			}
		}
		return hops;
	}

	private static String unquoted(String value) {
		return (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
				? value.substring(1, value.length() - 1) : value;
	}

	/**
	 * {@code [2001:db8::1]:4711} is {@code 2001:db8::1}, {@code 192.0.2.1:80} is
	 * {@code 192.0.2.1}.
	 */
	private static String withoutPort(String node) {
		if (node.startsWith("[")) {
			int end = node.indexOf(']');
			return (end > 0) ? node.substring(1, end) : node;
		}
		int colon = node.indexOf(':');
		return (colon > 0 && colon == node.lastIndexOf(':')) ? node.substring(0, colon) : node;
	}

	private static String canonicalOr(String address) {
		String canonical = AddressRange.canonical(address);
		return (canonical != null) ? canonical : address;
	}

}
