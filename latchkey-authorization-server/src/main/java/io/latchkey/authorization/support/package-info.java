/**
 * Small pieces the others share: pages of lists, request validation, the caller's
 * address.
 */
@NullMarked
package io.latchkey.authorization.support;

import org.jspecify.annotations.NullMarked;
