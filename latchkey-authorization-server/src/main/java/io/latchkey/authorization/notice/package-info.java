/**
 * Notices before a token dies: each stage once per token across every instance, by e-mail
 * and by signed webhook.
 */
@NullMarked
package io.latchkey.authorization.notice;

import org.jspecify.annotations.NullMarked;
