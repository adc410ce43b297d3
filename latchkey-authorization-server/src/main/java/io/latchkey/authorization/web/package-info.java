/**
 * The management API over HTTP: controllers, the one advice that maps the services'
 * refusals to RFC 9457 problems, the API's entry point and access-denied answers, and the
 * filters every request passes (tokens in URLs, body size, Redis outages).
 */
@NullMarked
package io.latchkey.authorization.web;

import org.jspecify.annotations.NullMarked;
