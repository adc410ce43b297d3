/**
 * The caches both libraries keep of what the auth server said, and the one rule by which
 * the auth server's events make their entries stale.
 */
@NullMarked
package io.latchkey.core.cache;

import org.jspecify.annotations.NullMarked;
