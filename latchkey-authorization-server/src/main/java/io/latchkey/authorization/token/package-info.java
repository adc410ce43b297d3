/**
 * Personal access tokens: their lifecycle (generate, list, revoke), the hot verification
 * path, the policy, and the storage interface.
 */
@NullMarked
package io.latchkey.authorization.token;

import org.jspecify.annotations.NullMarked;
