/**
 * A plain Spring Boot authorization server plus the Latchkey dependency.
 */
@NullMarked
package com.example.authserver;

import org.jspecify.annotations.NullMarked;
