/**
 * Spring Boot auto-configuration: the library from its dependency alone, every bean
 * backing off when the application defines its own.
 */
@NullMarked
package io.latchkey.authorization.autoconfigure;

import org.jspecify.annotations.NullMarked;
