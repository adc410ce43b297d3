/**
 * The web portal: the Home Portal's users, groups and Access Tokens pages, over the
 * library's services.
 */
@NullMarked
package io.latchkey.auth.portal;

import org.jspecify.annotations.NullMarked;
