/**
 * Approved token requests: generations of one's own tokens that need an approver's
 * decision first, and the claim that mints the token for its requester alone.
 */
@NullMarked
package io.latchkey.authorization.approval;

import org.jspecify.annotations.NullMarked;
