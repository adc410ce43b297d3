/**
 * Leaked tokens reported from outside: anyone's report through the public credential
 * revocation endpoint (GitHub's Credential Revocation API shape), and GitHub's secret
 * scanning partner reports, signed by GitHub. Reported tokens are revoked with their
 * rotation chains and their owners told; the public endpoint never says whether a token
 * existed.
 */
@NullMarked
package io.latchkey.authorization.leak;

import org.jspecify.annotations.NullMarked;
