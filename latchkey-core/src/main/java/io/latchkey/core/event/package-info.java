/**
 * The events channel's contract: what the auth server publishes when a token or a user's
 * rights change, its JSON form, and what each event makes stale in a resource service's
 * cache.
 */
@NullMarked
package io.latchkey.core.event;

import org.jspecify.annotations.NullMarked;
