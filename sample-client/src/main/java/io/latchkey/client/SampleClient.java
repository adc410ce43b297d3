package io.latchkey.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command-line integration of the Latchkey sample portal API:
 *
 * <pre>
 * latchkey-client [--api URL] [--token-file PATH] [--dpop-key FILE] whoami
 * latchkey-client [--api URL] [--token-file PATH] [--dpop-key FILE] projects list
 * latchkey-client [--api URL] [--token-file PATH] [--dpop-key FILE] projects create NAME
 * latchkey-client keygen FILE
 * </pre>
 *
 * The token comes from {@code LATCHKEY_TOKEN}, else from the file named by
 * {@code --token-file} or {@code LATCHKEY_TOKEN_FILE}; never from a command-line
 * argument, where shell history and the process list would keep it. Failures are one line
 * on stderr and an exit code per cause.
 * <p>
 * A token bound to a key (RFC 9449 DPoP) needs {@code --dpop-key FILE}, the private JWK
 * the token's {@code jkt} was computed from: every request then sends
 * {@code Authorization: DPoP} and a fresh {@code DPoP} proof signed with that key (see
 * {@link DPoPKey}). {@code keygen FILE} writes a new EC P-256 key to FILE, readable by
 * its owner only, and prints its thumbprint, the {@code jkt} to enter in the portal; it
 * needs neither token nor API.
 */
public final class SampleClient {

	/** Exit codes, one per cause an operator may want to script against. */
	public static final int OK = 0;

	public static final int FAILED = 1;

	public static final int USAGE = 2;

	public static final int UNAUTHORIZED = 3;

	public static final int FORBIDDEN = 4;

	public static final int UNAVAILABLE = 5;

	public static final int CONNECTION_FAILED = 6;

	private static final String USAGE_TEXT = "usage: latchkey-client [--api URL] [--token-file PATH] "
			+ "[--dpop-key FILE] whoami | projects list | projects create NAME; latchkey-client keygen FILE";

	private static final String TOKEN_REFUSED = "the token was refused (401): it is invalid, expired or revoked";

	private static final Pattern CHALLENGE_ERROR = Pattern.compile("error=\"?([A-Za-z0-9_.-]+)");

	private final Map<String, String> environment;

	private final PrintStream out;

	private final PrintStream err;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	public SampleClient(Map<String, String> environment, PrintStream out, PrintStream err) {
		this.environment = environment;
		this.out = out;
		this.err = err;
	}

	public static void main(String[] args) {
		System.exit(new SampleClient(System.getenv(), System.out, System.err).run(args));
	}

	public int run(String... args) {
		Deque<String> words = new ArrayDeque<>(List.of(args));
		String api = this.environment.getOrDefault("LATCHKEY_API_URL", "http://localhost:8080");
		String tokenFile = this.environment.get("LATCHKEY_TOKEN_FILE");
		String dpopKeyFile = null;
		while (!words.isEmpty() && words.peekFirst().startsWith("--")) {
			String option = words.removeFirst();
			if (option.equals("--token") || option.startsWith("--token=")) {
				return fail(USAGE, "tokens are never taken from the command line (shell history and ps keep them); "
						+ "set LATCHKEY_TOKEN or use --token-file PATH");
			}
			if (words.isEmpty()) {
				return fail(USAGE, option + " needs a value; " + USAGE_TEXT);
			}
			switch (option) {
				case "--api" -> api = words.removeFirst();
				case "--token-file" -> tokenFile = words.removeFirst();
				case "--dpop-key" -> dpopKeyFile = words.removeFirst();
				default -> {
					return fail(USAGE, "unknown option " + option + "; " + USAGE_TEXT);
				}
			}
		}
		if ("keygen".equals(words.peekFirst())) {
			return (words.size() == 2) ? keygen(words.peekLast()) : fail(USAGE, "keygen takes one FILE; " + USAGE_TEXT);
		}
		String token = this.environment.get("LATCHKEY_TOKEN");
		if (token == null || token.isBlank()) {
			if (tokenFile == null) {
				return fail(USAGE, "no token: set LATCHKEY_TOKEN or use --token-file PATH");
			}
			try {
				token = Files.readString(Path.of(tokenFile)).strip();
			}
			catch (IOException ex) {
				return fail(USAGE, "cannot read the token file " + tokenFile);
			}
		}
		Credentials credentials;
		try {
			credentials = new Credentials(token, (dpopKeyFile != null) ? DPoPKey.read(Path.of(dpopKeyFile)) : null);
		}
		catch (DPoPKey.InvalidKeyFileException ex) {
			return fail(USAGE, ex.getMessage());
		}
		String command = String.join(" ", words.stream().limit(2).toList());
		return switch (command) {
			case "whoami" -> (words.size() == 1) ? whoami(api, credentials) : fail(USAGE, USAGE_TEXT);
			case "projects list" -> (words.size() == 2) ? listProjects(api, credentials) : fail(USAGE, USAGE_TEXT);
			case "projects create" -> (words.size() == 3) ? createProject(api, credentials, words.peekLast())
					: fail(USAGE, "projects create takes one NAME (quote it if it has spaces)");
			default -> fail(USAGE, USAGE_TEXT);
		};
	}

	private int keygen(String file) {
		DPoPKey key = DPoPKey.generate();
		try {
			key.write(Path.of(file));
		}
		catch (FileAlreadyExistsException ex) {
			return fail(USAGE, file + " already exists; keygen never overwrites a key file");
		}
		catch (IOException ex) {
			return fail(FAILED, "cannot write the key file " + file);
		}
		this.out.println(key.thumbprint());
		return OK;
	}

	private int whoami(String api, Credentials credentials) {
		return call(api, credentials, HttpRequest.newBuilder(URI.create(api + "/api/whoami")).GET(), (body) -> {
			List<String> scopes = body.get("scopes").values().stream().map(JsonNode::asString).toList();
			this.out.println(body.get("username").asString() + " (scopes: "
					+ (scopes.isEmpty() ? "none" : String.join(" ", scopes)) + ")");
		});
	}

	private int listProjects(String api, Credentials credentials) {
		return call(api, credentials, HttpRequest.newBuilder(URI.create(api + "/api/projects")).GET(), (body) -> {
			if (body.isEmpty()) {
				this.out.println("No projects.");
			}
			body.values()
				.forEach((project) -> this.out
					.println(project.get("id").asLong() + "\t" + project.get("name").asString()));
		});
	}

	private int createProject(String api, Credentials credentials, String name) {
		String body = this.json.writeValueAsString(Map.of("name", name));
		return call(api, credentials,
				HttpRequest.newBuilder(URI.create(api + "/api/projects"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body)),
				(project) -> this.out
					.println("Created project " + project.get("id").asLong() + ": " + project.get("name").asString()));
	}

	private int call(String api, Credentials credentials, HttpRequest.Builder request, Consumer<JsonNode> onOk) {
		HttpRequest authorized;
		try {
			authorized = credentials
				.authorize(request.header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build());
		}
		catch (JOSEException ex) {
			return fail(FAILED, "cannot sign the DPoP proof with the key of --dpop-key");
		}
		catch (IllegalArgumentException ex) {
			return fail(USAGE, "the token holds characters that an HTTP header cannot carry");
		}
		HttpResponse<String> response;
		try {
			response = this.http.send(authorized, HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpConnectTimeoutException | ConnectException ex) {
			return fail(CONNECTION_FAILED, "cannot connect to " + api);
		}
		catch (HttpTimeoutException ex) {
			return fail(CONNECTION_FAILED, api + " did not answer in time");
		}
		catch (IOException ex) {
			return fail(CONNECTION_FAILED, "connection to " + api + " failed");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return fail(FAILED, "interrupted");
		}
		return switch (response.statusCode()) {
			case 200, 201 -> {
				try {
					onOk.accept(this.json.readTree(response.body()));
					yield OK;
				}
				catch (JacksonException ex) {
					yield fail(FAILED, "the API answered something that is not the expected JSON");
				}
			}
			case 401 -> unauthorized(response, credentials);
			case 403 -> fail(FORBIDDEN, "the token lacks the right for this (403 insufficient_scope)");
			case 503 -> fail(UNAVAILABLE, "the API is unavailable (503); retry after "
					+ response.headers().firstValue("Retry-After").orElse("a while") + " s");
			default -> fail(FAILED, "unexpected answer " + response.statusCode() + " from " + api);
		};
	}

	private int unauthorized(HttpResponse<?> response, Credentials credentials) {
		Optional<String> challenge = response.headers()
			.allValues("WWW-Authenticate")
			.stream()
			.filter((value) -> value.regionMatches(true, 0, "DPoP", 0, 4))
			.findFirst();
		if (challenge.isEmpty()) {
			return fail(UNAUTHORIZED, TOKEN_REFUSED);
		}
		if (credentials.dpopKey() == null) {
			return fail(UNAUTHORIZED, "the token is bound to a key: pass --dpop-key FILE (401)");
		}
		Matcher error = CHALLENGE_ERROR.matcher(challenge.get());
		String code = error.find() ? " " + error.group(1) : "";
		return fail(UNAUTHORIZED, "the DPoP proof was refused (401" + code
				+ "): check that --dpop-key is the key the token is bound to, and that the token is valid");
	}

	private int fail(int code, String message) {
		this.err.println("latchkey-client: " + message);
		return code;
	}

	/**
	 * The access token, and the key it is bound to if any. Never printed.
	 */
	private record Credentials(String token, @Nullable DPoPKey dpopKey) {

		HttpRequest authorize(HttpRequest request) throws JOSEException {
			HttpRequest.Builder authorized = HttpRequest.newBuilder(request, (name, value) -> true);
			if (this.dpopKey == null) {
				return authorized.header("Authorization", "Bearer " + this.token).build();
			}
			return authorized.header("Authorization", "DPoP " + this.token)
				.header("DPoP", this.dpopKey.proof(request.method(), request.uri(), this.token))
				.build();
		}

		@Override
		public String toString() {
			return "Credentials[token=(hidden), dpopKey=" + this.dpopKey + "]";
		}

	}

}
