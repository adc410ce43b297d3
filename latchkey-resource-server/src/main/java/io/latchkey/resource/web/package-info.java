/**
 * HTTP behaviour: RFC 6750 answers, fail closed with 503, and the configurer for an
 * application's own chain.
 */
@NullMarked
package io.latchkey.resource.web;

import org.jspecify.annotations.NullMarked;
