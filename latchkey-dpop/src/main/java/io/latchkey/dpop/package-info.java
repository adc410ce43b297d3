/**
 * DPoP (RFC 9449) for both libraries: Spring Security's proof checking, with replays
 * refused across a service's instances, bound tokens refused as plain bearer tokens, and
 * RFC 9449 challenges.
 */
@NullMarked
package io.latchkey.dpop;

import org.jspecify.annotations.NullMarked;
