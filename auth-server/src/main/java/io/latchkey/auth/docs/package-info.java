/** The OpenAPI document of the management API. */
@NullMarked
package io.latchkey.auth.docs;

import org.jspecify.annotations.NullMarked;
