package io.latchkey.core.event;

/** Defaults both sides of the events channel agree on. */
public final class LatchkeyEvents {

	/** The Redis channel of the events, unless configured otherwise on both sides. */
	public static final String DEFAULT_CHANNEL = "latchkey:events";

	private LatchkeyEvents() {
	}

}
