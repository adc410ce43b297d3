package io.latchkey.authorization.token;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.latchkey.authorization.error.InvalidRequestException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The services a token may be meant for (its audience): every resource service, a
 * registered client allowed to introspect, under its client id, and the management API
 * under the reserved {@value #MANAGEMENT_API}. Each may have a display name and an RFC
 * 8707 resource URI. A token generated without an audience gets the default one
 * ({@code latchkey.tokens.default-audience}; empty: any service).
 *
 * @since 0.1
 */
public final class ResourceServices {

	/** The audience value of the management API ({@code /api/**}). */
	public static final String MANAGEMENT_API = "latchkey-api";

	/** How RFC 7638 SHA-256 thumbprints look: 32 bytes in base64url, no padding. */
	private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");

	private final Map<String, Service> services;

	private final List<Service> ordered;

	private final @Nullable Set<String> defaultAudience;

	/**
	 * @param services the resource services (the management API is added if missing)
	 * @param defaultAudience the audience of a token generated without one (empty: any
	 * service)
	 */
	public ResourceServices(Collection<Service> services, Collection<String> defaultAudience) {
		Assert.notNull(services, "services cannot be null");
		Assert.notNull(defaultAudience, "defaultAudience cannot be null");
		Map<String, Service> byId = new LinkedHashMap<>();
		services.forEach((service) -> byId.put(service.clientId(), service));
		byId.putIfAbsent(MANAGEMENT_API, new Service(MANAGEMENT_API, "Management API", null));
		this.services = Map.copyOf(byId);
		for (String audience : defaultAudience) {
			Assert.state(byId.containsKey(audience), () -> "latchkey.tokens.default-audience: '" + audience
					+ "' is not a resource service (one of " + byId.keySet() + ")");
		}
		this.defaultAudience = defaultAudience.isEmpty() ? null : Set.copyOf(defaultAudience);
		this.ordered = List.copyOf(byId.values());
	}

	/** Every service, the management API among them, in the order configured. */
	public List<Service> all() {
		return this.ordered;
	}

	/** The audience of a token generated without one; {@code null}: any service. */
	public @Nullable Set<String> defaultAudience() {
		return this.defaultAudience;
	}

	/**
	 * The service with this client id.
	 * @param clientId a client id
	 * @return the service, if it is one
	 */
	public Optional<Service> find(String clientId) {
		return Optional.ofNullable(this.services.get(clientId));
	}

	/**
	 * The service whose RFC 8707 resource URI this is.
	 * @param resource a resource URI
	 * @return its service, if any
	 */
	public Optional<Service> byResource(String resource) {
		return this.ordered.stream()
			.filter((service) -> service.resource() != null && service.resource().toString().equals(resource))
			.findFirst();
	}

	/**
	 * The audience a generation request asks for, or the default; an unknown service or
	 * an empty list is refused naming the field.
	 * @param requested the client ids asked for ({@code null}: the default)
	 * @return the audience ({@code null}: any service)
	 */
	public @Nullable Set<String> audience(@Nullable List<String> requested) {
		if (requested == null) {
			return this.defaultAudience;
		}
		if (requested.isEmpty()) {
			throw new InvalidRequestException("audience", "must name at least one service");
		}
		Set<String> audience = new LinkedHashSet<>();
		for (String clientId : requested) {
			if (!this.services.containsKey(clientId)) {
				throw new InvalidRequestException("audience",
						"'" + clientId + "' is not a resource service (one of " + ids() + ")");
			}
			audience.add(clientId);
		}
		return audience;
	}

	/**
	 * A key thumbprint as a generation request gives it: an RFC 7638 SHA-256 thumbprint
	 * (43 base64url characters), or a refusal naming the field.
	 * @param jkt the thumbprint asked for ({@code null}: a bearer token)
	 * @return the thumbprint, or {@code null}
	 */
	public static @Nullable String thumbprint(@Nullable String jkt) {
		if (jkt == null) {
			return null;
		}
		if (!THUMBPRINT.matcher(jkt).matches()) {
			throw new InvalidRequestException("jkt",
					"must be the RFC 7638 SHA-256 thumbprint of a public key: 43 base64url characters");
		}
		return jkt;
	}

	private List<String> ids() {
		List<String> ids = new ArrayList<>();
		this.ordered.forEach((service) -> ids.add(service.clientId()));
		return ids;
	}

	/**
	 * A service a token may be meant for.
	 *
	 * @param clientId its client id, the audience value
	 * @param name what the portal shows
	 * @param resource its RFC 8707 resource URI, if it has one
	 */
	public record Service(String clientId, String name, @Nullable URI resource) {

		public Service {
			Assert.hasText(clientId, "clientId cannot be empty");
			Assert.hasText(name, "name cannot be empty");
		}

	}

}
