/**
 * Latchkey's reference deployment.
 */
@NullMarked
package io.latchkey.auth;

import org.jspecify.annotations.NullMarked;
