package io.latchkey.auth.docs;

import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document of the management API ({@code /v3/api-docs}): what each operation
 * does and needs, from one table here, so that the library's controllers stay free of
 * springdoc.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

	private static final String DESCRIPTION = """
			Personal access tokens for the portal's users. Callers authenticate with HTTP Basic, a portal \
			session, or `Authorization: Bearer <token>`. Errors are RFC 9457 problem details. Generating and \
			rotating a token by id need the password factor given recently (HTTP Basic always is); a bearer \
			token may only rotate itself (`POST /api/tokens/self/rotate`). Tokens may carry `scopes` (a \
			narrowing of the owner's rights) and `allowedIps` (CIDR ranges, IPv4 or IPv6). The OAuth \
			endpoints are Spring Authorization Server's: `/oauth2/introspect` (RFC 7662; a resource service \
			may send `latchkey_client_ip`, the integration's address), `/oauth2/revoke` (RFC 7009), \
			`/oauth2/token` with `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693: a \
			PAT as `subject_token` for a short-lived JWT) and `/oauth2/jwks`.""";

	/** Method and path to summary and description. */
	private static final Map<String, String[]> OPERATIONS = Map.ofEntries(
			operation("GET /api/me", "Who you are", "Your username, groups and the rights of this very call."),
			operation("GET /api/me/tokens", "List your tokens",
					"Hints only; with status (active, expired, rotated), last use, the last 5 client addresses "
							+ "and the allowlist."),
			operation("POST /api/me/tokens", "Generate a token for yourself",
					"Needs a recent password. The answer holds the full token, once (Cache-Control: no-store)."),
			operation("DELETE /api/me/tokens/{id}", "Revoke one of your tokens", "404 if it is not yours."),
			operation("POST /api/me/tokens/{id}/rotate", "Rotate one of your tokens",
					"Needs a recent password. A new token with the same description, scopes and allowlist, shown "
							+ "once; the old one stops working at once or after latchkey.tokens.rotation-overlap. "
							+ "409 if it was already rotated."),
			operation("POST /api/tokens/self/rotate", "Rotate the token that authenticates this call",
					"Bearer token only (a narrowed one needs tokens.self). Replaces the token, never adds one; "
							+ "presenting the old one afterwards is recorded as reuse."),
			operation("GET /api/users/{username}/tokens", "List a user's tokens", "Needs tokens.manage."),
			operation("POST /api/users/{username}/tokens", "Generate a token for a user",
					"Needs a recent password, tokens.manage and every right the token would carry."),
			operation("DELETE /api/users/{username}/tokens/{id}", "Revoke a user's token", "Needs tokens.manage."),
			operation("POST /api/users/{username}/tokens/{id}/rotate", "Rotate a user's token",
					"Needs a recent password, tokens.manage and every right the token carries."),
			operation("DELETE /api/users/{username}/tokens", "Revoke all of a user's tokens", "Needs tokens.manage."),
			operation("GET /api/tokens", "The credentials inventory: every token of the users you outrank",
					"Needs tokens.manage. Filters owner, createdBy, expiringBefore and unusedSince (instants; never "
							+ "used counts as unused), audience (tokens without one match: they work anywhere), "
							+ "state (live, expired, revoked; repeated or comma-separated), sort (createdAt, "
							+ "expiresAt, lastUsedAt, owner; - for descending), page and size. Each item is a "
							+ "listed token plus its owner. With Accept: text/csv the whole selection (at most "
							+ "10,000 tokens; X-Total-Count says how many it holds) as a CSV attachment, hints "
							+ "only."),
			operation("POST /api/tokens/revoke-selection", "Revoke a selection of the credentials inventory",
					"Needs tokens.manage. The inventory's filters plus expectedCount, the number of live tokens "
							+ "you saw in the selection: its live tokens are revoked (and what they were rotated "
							+ "into), or 409 and nothing when that number changed."),
			operation("POST /api/tokens/revoke", "Revoke a leaked token by its string",
					"Needs tokens.manage. Always 204: the answer never says whose it was."),
			operation("POST /api/credentials/revoke", "Report leaked tokens",
					"Anyone, without signing in: {\"credentials\": [\"lkp_...\"]}, at most 1,000. Always 202 with no "
							+ "body, whatever the strings are; the tokens that are ours are revoked and their owners told "
							+ "soon after. Throttled per client address (429 with Retry-After)."),
			operation("POST /api/secret-scanning/github", "GitHub's secret scanning reports",
					"GitHub's secret scanning partner program, signed by GitHub (Github-Public-Key-Identifier, "
							+ "Github-Public-Key-Signature; 401 otherwise). Labels each token true_positive (ours: now "
							+ "revoked) or false_positive."),
			operation("GET /api/audit", "Read the audit log",
					"Needs audit.read. Newest first; filters user, actor, type (exact or token.*), from, to "
							+ "(ISO-8601); the next page is the Link header's cursor. With Accept: "
							+ "application/x-ndjson every matching record is streamed, one JSON object per line."));

	@Bean
	OpenAPI latchkeyOpenApi() {
		return new OpenAPI().info(new Info().title("Latchkey management API").version("0.1").description(DESCRIPTION));
	}

	@Bean
	OpenApiCustomizer latchkeyOperationDocs() {
		return (openApi) -> openApi.getPaths()
			.forEach((path, item) -> item.readOperationsMap()
				.forEach((method, operation) -> describe(method + " " + path, operation)));
	}

	private static void describe(String key, Operation operation) {
		String[] text = OPERATIONS.get(key);
		if (text != null) {
			operation.summary(text[0]).description(text[1]);
		}
	}

	private static Map.Entry<String, String[]> operation(String key, String summary, String description) {
		return Map.entry(key, new String[] { summary, description });
	}

}
