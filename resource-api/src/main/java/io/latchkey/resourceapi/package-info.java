/**
 * A sample portal API: a plain Spring Boot resource service plus the Latchkey
 * resource-server library.
 */
@NullMarked
package io.latchkey.resourceapi;

import org.jspecify.annotations.NullMarked;
