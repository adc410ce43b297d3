package io.latchkey.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A CIDR range of client addresses ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare
 * address is a range of one), as a token's {@code allowed_ips} holds them. Only address
 * literals are accepted, never host names (no DNS lookup, ever), and an IPv4 address is
 * never inside an IPv6 range nor the other way round, except loopback: {@code ::1} is
 * this host as much as {@code 127.0.0.1}, so a range that holds one holds the other (a
 * local client may reach a dual-stack server over either). The auth server checks a
 * token's ranges on introspection, and a resource service checks them again on every
 * answer it serves from its cache.
 */
public final class AddressRange {

	/**
	 * The introspection request parameter that carries the integration's address (RFC
	 * 7662 §2.1).
	 */
	public static final String CLIENT_ADDRESS_PARAMETER = "latchkey_client_ip";

	/** The claim of an introspection answer that lists a token's allowed ranges. */
	public static final String ALLOWED_IPS_CLAIM = "allowed_ips";

	private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	private final byte[] network;

	private final int bits;

	private AddressRange(byte[] network, int bits) {
		this.network = network;
		this.bits = bits;
	}

	/**
	 * The range a CIDR string names; its host bits are cleared ({@code 10.1.2.3/8} is
	 * {@code 10.0.0.0/8}).
	 * @throws IllegalArgumentException if it is not an IPv4 or IPv6 literal with an
	 * optional prefix length
	 */
	public static AddressRange parse(String cidr) {
		String value = cidr.strip();
		int slash = value.indexOf('/');
		String address = (slash >= 0) ? value.substring(0, slash) : value;
		byte[] bytes = literal(address);
		if (bytes == null) {
			throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 or IPv6 address or CIDR range");
		}
		int bits = bytes.length * 8;
		if (slash >= 0) {
			String length = value.substring(slash + 1);
			if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bytes.length * 8) {
				throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0-" + bytes.length * 8);
			}
			bits = Integer.parseInt(length);
		}
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] &= mask(bits, i);
		}
		return new AddressRange(bytes, bits);
	}

	/** The ranges of these CIDR strings. */
	public static List<AddressRange> parseAll(List<String> cidrs) {
		return cidrs.stream().map(AddressRange::parse).toList();
	}

	/**
	 * Whether {@code address} lies in any of {@code ranges}; false for anything that is
	 * not an address literal.
	 */
	public static boolean anyContains(List<AddressRange> ranges, @Nullable String address) {
		byte[] bytes = (address != null) ? literal(address) : null;
		if (bytes == null) {
			return false;
		}
		byte[] loopback = otherLoopback(bytes);
		for (AddressRange range : ranges) {
			if (range.contains(bytes) || (loopback != null && range.contains(loopback))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The network an address is counted in when deciding whether a token is used from
	 * somewhere new: its /24 for IPv4 (an IPv4-mapped IPv6 address is IPv4), its /48 for
	 * IPv6, the prefixes a provider typically hands one site. A network holds loopback of
	 * either family, as every range does.
	 * @param address an address literal
	 * @return its network, or null for anything that is not an address literal
	 */
	public static @Nullable AddressRange network(@Nullable String address) {
		return network(address, 24, 48);
	}

	/**
	 * The network one client is counted as when throttling: an IPv4 address on its own
	 * (an IPv4-mapped IPv6 address is IPv4), an IPv6 address's /64, the least a provider
	 * hands one subscriber, who may use every address in it.
	 * @param address an address literal
	 * @return its network, or null for anything that is not an address literal
	 */
	public static @Nullable AddressRange client(@Nullable String address) {
		return network(address, 32, 64);
	}

	private static @Nullable AddressRange network(@Nullable String address, int ipv4Bits, int ipv6Bits) {
		byte[] bytes = (address != null) ? literal(address) : null;
		if (bytes == null) {
			return null;
		}
		int bits = (bytes.length == 4) ? ipv4Bits : ipv6Bits;
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] &= mask(bits, i);
		}
		return new AddressRange(bytes, bits);
	}

	/**
	 * {@code 127.0.0.1} for {@code ::1}, {@code ::1} for any {@code 127.x}, else null.
	 */
	private static byte @Nullable [] otherLoopback(byte[] address) {
		if (address.length == 4 && address[0] == 127) {
			byte[] ipv6 = new byte[16];
			ipv6[15] = 1;
			return ipv6;
		}
		if (address.length == 16 && address[15] == 1) {
			for (int i = 0; i < 15; i++) {
				if (address[i] != 0) {
					return null;
				}
			}
			return new byte[] { 127, 0, 0, 1 };
		}
		return null;
	}

	/**
	 * The canonical form of an address literal ({@code ::ffff:10.0.0.1} is
	 * {@code 10.0.0.1}, IPv6 in full lower-case form), or null for anything that is not
	 * one: what a resource service reports is never stored nor compared as it was sent.
	 */
	public static @Nullable String canonical(@Nullable String address) {
		byte[] bytes = (address != null) ? literal(address) : null;
		if (bytes == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(bytes).getHostAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * Whether {@code address} lies in this range; false for anything that is not an
	 * address literal.
	 */
	public boolean contains(@Nullable String address) {
		return anyContains(List.of(this), address);
	}

	private boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		for (int i = 0; i < address.length; i++) {
			if ((address[i] & mask(this.bits, i)) != this.network[i]) {
				return false;
			}
		}
		return true;
	}

	private static byte mask(int bits, int byteIndex) {
		int inThisByte = Math.clamp(bits - byteIndex * 8L, 0, 8);
		return (byte) (0xFF00 >> inThisByte);
	}

	/**
	 * The bytes of an IPv4 or IPv6 literal (IPv4-mapped IPv6 becomes IPv4), or null;
	 * never a name lookup.
	 */
	private static byte @Nullable [] literal(String address) {
		String value = address.strip();
		if (value.length() > 64) {
			return null;
		}
		if (value.startsWith("[") && value.endsWith("]")) {
			value = value.substring(1, value.length() - 1);
		}
		if (IPV4.matcher(value).matches()) {
			for (String part : value.split("\\.")) {
				if (Integer.parseInt(part) > 255) {
					return null;
				}
			}
		}
		else if (!IPV6.matcher(value).matches()) {
			return null;
		}
		try {
			return InetAddress.getByName(value).getAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/** The canonical CIDR form: the network address and the prefix length. */
	@Override
	public String toString() {
		try {
			return InetAddress.getByAddress(this.network).getHostAddress() + "/" + this.bits;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof AddressRange range && toString().equals(range.toString());
	}

	@Override
	public int hashCode() {
		return toString().hashCode();
	}

}
