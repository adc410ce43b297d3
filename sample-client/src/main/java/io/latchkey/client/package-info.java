/**
 * The sample command-line integration.
 */
@NullMarked
package io.latchkey.client;

import org.jspecify.annotations.NullMarked;
