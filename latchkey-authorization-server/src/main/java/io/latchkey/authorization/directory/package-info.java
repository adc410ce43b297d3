/**
 * Latchkey's own directory of users and groups: who may change what, the last
 * administrator, the first administrator, and the storage interface.
 */
@NullMarked
package io.latchkey.authorization.directory;

import org.jspecify.annotations.NullMarked;
