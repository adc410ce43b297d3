/**
 * What both libraries add to a servlet application in the same way: the client address
 * behind trusted proxies. The servlet API is the application's own ({@code provided}).
 */
@NullMarked
package io.latchkey.core.servlet;

import org.jspecify.annotations.NullMarked;
