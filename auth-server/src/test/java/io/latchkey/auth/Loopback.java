package io.latchkey.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback addresses (127.x.y.z) to send from, as clients on other machines would. */
public final class Loopback {

	private Loopback() {
	}

	/**
	 * A random loopback address: a client of its own, with throttling buckets of its own.
	 */
	public static InetAddress someAddress() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return address("127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255));
	}

	public static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
