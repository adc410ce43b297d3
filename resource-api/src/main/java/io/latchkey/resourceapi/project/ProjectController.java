package io.latchkey.resourceapi.project;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample portal's projects: reading needs {@code projects.read}, changes
 * {@code projects.write}.
 */
@RestController
class ProjectController {

	private final ProjectStore projects;

	private final Clock clock;

	ProjectController(ProjectStore projects, Clock clock) {
		this.projects = projects;
		this.clock = clock;
	}

	@GetMapping("/api/projects")
	@PreAuthorize("hasAuthority('SCOPE_projects.read')")
	List<Project> list() {
		return this.projects.findAll();
	}

	@GetMapping("/api/projects/{id}")
	@PreAuthorize("hasAuthority('SCOPE_projects.read')")
	ResponseEntity<Object> get(@PathVariable long id) {
		return this.projects.find(id).<ResponseEntity<Object>>map(ResponseEntity::ok).orElseGet(() -> notFound(id));
	}

	@PostMapping("/api/projects")
	@PreAuthorize("hasAuthority('SCOPE_projects.write')")
	ResponseEntity<Project> create(Authentication caller, @Valid @RequestBody NewProject request) {
		Project project = this.projects.create(request.name().strip(), request.description(), caller.getName(),
				this.clock.instant());
		return ResponseEntity.created(URI.create("/api/projects/" + project.id())).body(project);
	}

	@DeleteMapping("/api/projects/{id}")
	@PreAuthorize("hasAuthority('SCOPE_projects.write')")
	ResponseEntity<Object> delete(@PathVariable long id) {
		return this.projects.delete(id) ? ResponseEntity.noContent().build() : notFound(id);
	}

	private static ResponseEntity<Object> notFound(long id) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No project " + id));
	}

	record NewProject(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description) {
	}

}
