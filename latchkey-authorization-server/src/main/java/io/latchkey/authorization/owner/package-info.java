/**
 * Token owners as the token side sees them: the one interface an application may
 * implement to keep its own users.
 */
@NullMarked
package io.latchkey.authorization.owner;

import org.jspecify.annotations.NullMarked;
