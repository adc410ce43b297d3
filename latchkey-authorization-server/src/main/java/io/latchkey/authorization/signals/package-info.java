/**
 * The OpenID Shared Signals (SSF 1.0) transmitter: receivers' streams and their
 * management, the Security Event Tokens (RFC 8417) that every revocation and rights
 * change becomes, with CAEP event types and RFC 9493 subjects, and their delivery by poll
 * (RFC 8936) and push (RFC 8935).
 */
@NullMarked
package io.latchkey.authorization.signals;

import org.jspecify.annotations.NullMarked;
