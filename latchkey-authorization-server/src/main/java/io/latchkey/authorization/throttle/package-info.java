/**
 * Password and client-secret guessing slowed down, with counts shared in Redis.
 */
@NullMarked
package io.latchkey.authorization.throttle;

import org.jspecify.annotations.NullMarked;
