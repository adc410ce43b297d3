/**
 * Projects, the sample API's resource, guarded by scope.
 */
@NullMarked
package io.latchkey.resourceapi.project;

import org.jspecify.annotations.NullMarked;
