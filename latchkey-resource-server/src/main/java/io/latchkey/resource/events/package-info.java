/** The auth server's events, applied to the introspection cache. */
@NullMarked
package io.latchkey.resource.events;

import org.jspecify.annotations.NullMarked;
