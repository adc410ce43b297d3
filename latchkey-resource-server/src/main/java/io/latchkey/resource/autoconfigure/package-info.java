/** Spring Boot auto-configuration of a resource service that checks Latchkey's tokens. */
@NullMarked
package io.latchkey.resource.autoconfigure;

import org.jspecify.annotations.NullMarked;
