/**
 * What the services refuse, in the domain's terms; the web layer maps each to its HTTP
 * status.
 */
@NullMarked
package io.latchkey.authorization.error;

import org.jspecify.annotations.NullMarked;
