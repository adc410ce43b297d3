package io.latchkey.authorization.event;

import io.latchkey.core.event.LatchkeyEvent;

/**
 * Announces what resource services must forget (a revoked token, a disabled user, changed
 * rights). Called after the change itself was acknowledged by the store, and before it is
 * audited: an event is never lost to an audit write.
 */
@FunctionalInterface
public interface EventPublisher {

	void publish(LatchkeyEvent event);

}
