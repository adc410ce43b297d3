package io.latchkey.resourceapi.project;

import java.time.Instant;

/** A project of the sample portal. */
public record Project(long id, String name, String description, Instant createdAt, String createdBy) {

}
