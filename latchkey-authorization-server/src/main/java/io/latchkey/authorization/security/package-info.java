/**
 * Password sign-in throttled and audited, sessions that follow the directory live, and
 * the actor of a request.
 */
@NullMarked
package io.latchkey.authorization.security;

import org.jspecify.annotations.NullMarked;
