/**
 * Personal access tokens inside Spring Authorization Server's own endpoints: the
 * introspection and revocation providers that wrap the stock ones, the registered clients
 * allowed to use them, verified client secrets kept and their guessing throttled.
 */
@NullMarked
package io.latchkey.authorization.oauth;

import org.jspecify.annotations.NullMarked;
