/**
 * The Redis implementations of the storage interfaces, together: token records, the
 * directory, events, the audit stream and the throttle's buckets. The Lua scripts are
 * {@code .lua} resources beside these classes.
 */
@NullMarked
package io.latchkey.authorization.redis;

import org.jspecify.annotations.NullMarked;
