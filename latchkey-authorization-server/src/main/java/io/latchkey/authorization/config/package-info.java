/**
 * The one line an application with its own authorization-server chain adds.
 */
@NullMarked
package io.latchkey.authorization.config;

import org.jspecify.annotations.NullMarked;
