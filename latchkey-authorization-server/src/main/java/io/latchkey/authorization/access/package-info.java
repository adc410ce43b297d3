/**
 * Who is asking and what rights exist: the actor every rule is checked against, and the
 * rights catalog.
 */
@NullMarked
package io.latchkey.authorization.access;

import org.jspecify.annotations.NullMarked;
