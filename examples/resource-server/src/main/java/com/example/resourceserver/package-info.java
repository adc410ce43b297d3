/**
 * A plain Spring Boot resource service plus the Latchkey dependency.
 */
@NullMarked
package com.example.resourceserver;

import org.jspecify.annotations.NullMarked;
