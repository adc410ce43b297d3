/**
 * The reference deployment's authorization-server chain, with Latchkey's one line.
 */
@NullMarked
package io.latchkey.auth.oauth;

import org.jspecify.annotations.NullMarked;
