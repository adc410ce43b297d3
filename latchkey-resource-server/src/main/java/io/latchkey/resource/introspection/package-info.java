/**
 * Introspection with a cache in front: answers by token digest, bounded by the token's
 * expiry and a maximum age, never kept when a revocation raced them.
 */
@NullMarked
package io.latchkey.resource.introspection;

import org.jspecify.annotations.NullMarked;
