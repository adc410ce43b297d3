/**
 * Latchkey's shared contract, without web dependencies: the personal access token format
 * and its checksum, and the digest under which a token is stored and cached.
 */
@NullMarked
package io.latchkey.core;

import org.jspecify.annotations.NullMarked;
