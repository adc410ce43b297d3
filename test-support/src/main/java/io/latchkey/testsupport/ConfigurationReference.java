package io.latchkey.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration reference ({@code docs/configuration.md}) generated from a module's
 * configuration metadata, which Spring Boot's configuration processor writes from the
 * javadoc of the {@code @ConfigurationProperties} records. Each module owns one section
 * of the page, between {@code <!-- generated from <module> -->} and {@code <!-- end -->};
 * its test compares the section with what the metadata says, so that a property cannot be
 * undocumented and the page cannot name one that does not exist. Run the test with
 * {@code -Dlatchkey.docs.write=true} to write the section instead.
 */
public final class ConfigurationReference {

	private static final String END = "<!-- end -->";

	private ConfigurationReference() {
	}

	/**
	 * The section a module's metadata makes, and the one the page holds.
	 * @param module the module's directory name (the working directory of its tests)
	 * @return what the section should be and what it is
	 */
	public static Comparison compare(String module) {
		Path metadata = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
		Path docs = Path.of("../docs/configuration.md");
		String expected = table(metadata);
		String page = read(docs);
		String start = "<!-- generated from " + module + " -->";
		int from = page.indexOf(start);
		int to = page.indexOf(END, Math.max(from, 0));
		if (from < 0 || to < 0) {
			throw new IllegalStateException(docs + " has no section " + start + " … " + END);
		}
		String actual = page.substring(from + start.length(), to).strip();
		if (Boolean.getBoolean("latchkey.docs.write") && !actual.equals(expected)) {
			write(docs, page.substring(0, from + start.length()) + "\n" + expected + "\n" + page.substring(to));
			actual = expected;
		}
		return new Comparison(expected, actual);
	}

	/**
	 * The metadata's properties as a Markdown table: name, default, description, sorted
	 * by name.
	 */
	static String table(Path metadata) {
		JsonNode root = JsonMapper.builder().build().readTree(read(metadata));
		List<JsonNode> properties = new ArrayList<>();
		root.path("properties").forEach(properties::add);
		properties.sort(Comparator.comparing((JsonNode property) -> property.path("name").asString()));
		StringBuilder table = new StringBuilder("| Property | Default | Description |\n| --- | --- | --- |\n");
		for (JsonNode property : properties) {
			table.append("| `")
				.append(property.path("name").asString())
				.append("` | ")
				.append(defaultValue(property.path("defaultValue")))
				.append(" | ")
				.append(markdown(property.path("description").asString("")))
				.append(" |\n");
		}
		return table.toString().strip();
	}

	/**
	 * A javadoc description as Markdown on one line: {@code {@code x}} and {@code {@link
	 * X}} as code.
	 */
	private static String markdown(String description) {
		return description.replaceAll("\\{@(?:code|link|literal) ([^}]*)}", "`$1`")
			.replaceAll("\\s+", " ")
			.replace("|", "\\|")
			.strip();
	}

	private static String defaultValue(JsonNode value) {
		if (value.isMissingNode() || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			List<String> values = new ArrayList<>();
			value.forEach((element) -> values.add(element.asString()));
			return values.isEmpty() ? "" : values.stream().collect(Collectors.joining(", ", "`", "`"));
		}
		return "`" + value.asString() + "`";
	}

	private static String read(Path path) {
		try {
			return Files.readString(path, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path path, String content) {
		try {
			Files.writeString(path, content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A module's section of the configuration reference.
	 *
	 * @param expected what its metadata makes
	 * @param actual what the page holds
	 */
	public record Comparison(String expected, String actual) {
	}

}
