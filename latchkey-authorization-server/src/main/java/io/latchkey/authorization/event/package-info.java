/**
 * What Latchkey tells others: events for resource services, records for the audit trail.
 */
@NullMarked
package io.latchkey.authorization.event;

import org.jspecify.annotations.NullMarked;
