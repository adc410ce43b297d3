/**
 * The embedded Redis of the one-command start: a real redis-server with a password and a
 * restricted user.
 */
@NullMarked
package io.latchkey.auth.embedded;

import org.jspecify.annotations.NullMarked;
