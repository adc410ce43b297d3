package io.latchkey.resourceapi.project;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.latchkey.resourceapi.ResourceApiProperties;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.util.StringUtils;

/**
 * Projects in Redis under the resource API's own key prefix: a hash per project, a sorted
 * set of ids by creation, ids from a counter.
 */
@Repository
class ProjectStore {

	private final StringRedisTemplate redis;

	private final String prefix;

	ProjectStore(StringRedisTemplate redis, ResourceApiProperties properties) {
		this.redis = redis;
		this.prefix = properties.keyPrefix();
	}

	Project create(String name, String description, String createdBy, Instant now) {
		Long id = this.redis.opsForValue().increment(this.prefix + ":project-seq");
		Project project = new Project(Objects.requireNonNull(id), name, description, now, createdBy);
		this.redis.opsForHash()
			.putAll(key(project.id()), Map.of("name", name, "description", (description != null) ? description : "",
					"createdAt", now.toString(), "createdBy", createdBy));
		this.redis.opsForZSet().add(this.prefix + ":projects", Long.toString(project.id()), project.id());
		return project;
	}

	List<Project> findAll() {
		Set<String> ids = this.redis.opsForZSet().range(this.prefix + ":projects", 0, -1);
		return (ids != null) ? ids.stream().map(Long::parseLong).map(this::find).flatMap(Optional::stream).toList()
				: List.of();
	}

	Optional<Project> find(long id) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(key(id));
		if (hash.isEmpty()) {
			return Optional.empty();
		}
		String description = (String) hash.get("description");
		return Optional
			.of(new Project(id, (String) hash.get("name"), StringUtils.hasText(description) ? description : null,
					Instant.parse((String) hash.get("createdAt")), (String) hash.get("createdBy")));
	}

	boolean delete(long id) {
		this.redis.opsForZSet().remove(this.prefix + ":projects", Long.toString(id));
		return Boolean.TRUE.equals(this.redis.delete(key(id)));
	}

	private String key(long id) {
		return this.prefix + ":project:" + id;
	}

}
