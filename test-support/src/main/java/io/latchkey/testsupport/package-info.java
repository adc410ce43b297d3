/**
 * For the tests of every module: a real Redis, a movable clock, apps as processes, the
 * log scan.
 */
@NullMarked
package io.latchkey.testsupport;

import org.jspecify.annotations.NullMarked;
