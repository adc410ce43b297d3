package io.latchkey.auth.portal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs), driven over WebDriver. {@code CHROME_BIN} and
 * {@code CHROMEDRIVER} override the locations. Screenshots go to
 * {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	final WebDriver driver;

	private final String baseUrl;

	Browser(String baseUrl) {
		this.baseUrl = baseUrl;
		File chromium = new File(System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium"));
		File chromedriver = new File(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
		if (!chromium.canExecute() || !chromedriver.canExecute()) {
			throw new IllegalStateException("The portal tests need Debian's chromium and chromium-driver (" + chromium
					+ ", " + chromedriver + "): apt-get install chromium chromium-driver, as .ci/run does");
		}
		try {
			ChromeOptions options = new ChromeOptions();
			options.setBinary(chromium);
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--window-size=1280,1000",
					"--user-data-dir=" + Files.createTempDirectory("latchkey-chromium"));
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
				.usingAnyFreePort()
				.build();
			this.driver = new ChromeDriver(service, options);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Browser open(String path) {
		this.driver.get(this.baseUrl + path);
		return this;
	}

	WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	boolean has(String css) {
		return !this.driver.findElements(By.cssSelector(css)).isEmpty();
	}

	/**
	 * Clicks something that does not load a page (a summary, the Copy button, a
	 * checkbox).
	 */
	Browser click(String css) {
		find(css).click();
		return this;
	}

	/**
	 * Clicks a link or submit button and waits until the next page has replaced this one.
	 */
	Browser go(String css) {
		return go(find(css));
	}

	Browser go(WebElement element) {
		WebElement page = this.driver.findElement(By.tagName("html"));
		element.click();
		waitForNextPage(page);
		return this;
	}

	/**
	 * Waits until {@code page} was replaced and the next one loaded. Chromium may answer
	 * a query on a node of the page being replaced with "does not belong to the document"
	 * rather than Selenium's stale-element error: both mean the old page is gone.
	 */
	private void waitForNextPage(WebElement page) {
		new WebDriverWait(this.driver, Duration.ofSeconds(15)).until((driver) -> {
			try {
				page.isEnabled();
				return false;
			}
			catch (WebDriverException ex) {
				return true;
			}
		});
		new WebDriverWait(this.driver, Duration.ofSeconds(15)).ignoring(WebDriverException.class)
			.until((driver) -> "complete"
				.equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
	}

	Browser type(String css, String text) {
		WebElement field = find(css);
		field.clear();
		field.sendKeys(text);
		return this;
	}

	String text(String css) {
		return find(css).getText();
	}

	String path() {
		return this.driver.getCurrentUrl().substring(this.baseUrl.length());
	}

	String source() {
		return this.driver.getPageSource();
	}

	void reload() {
		this.driver.navigate().refresh();
	}

	/** Submits the form that holds the element, and waits for the next page. */
	Browser submit(String css) {
		WebElement page = this.driver.findElement(By.tagName("html"));
		find(css).submit();
		waitForNextPage(page);
		return this;
	}

	void until(java.util.function.Function<WebDriver, Boolean> condition) {
		new WebDriverWait(this.driver, Duration.ofSeconds(10)).until(condition::apply);
	}

	Browser signIn(String username, String password) {
		this.driver.manage().deleteAllCookies();
		open("/login").type("#username", username).type("#password", password).go("#sign-in");
		return this;
	}

	/**
	 * Lays pages out in a viewport {@code width} CSS pixels wide, as a phone does when
	 * {@code mobile} (overlay scroll bars, the page's viewport meta), until
	 * {@link #defaultViewport()}.
	 */
	Browser viewport(int width, int height, boolean mobile) {
		chromium().executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
		return this;
	}

	/** Back to the window's own viewport. */
	Browser defaultViewport() {
		chromium().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
		return this;
	}

	/**
	 * How wide the page is laid out and how wide the viewport is, in CSS pixels: the page
	 * scrolls sideways when the first is larger.
	 * @return {@code document.scrollingElement.scrollWidth} and {@code innerWidth}
	 */
	Widths widths() {
		@SuppressWarnings("unchecked")
		List<Number> widths = (List<Number>) ((JavascriptExecutor) this.driver)
			.executeScript("return [document.scrollingElement.scrollWidth, window.innerWidth]");
		return new Widths(widths.get(0).intValue(), widths.get(1).intValue());
	}

	/**
	 * Saves the whole page, not only what the viewport shows, as
	 * {@code target/screenshots/<name>.png} ({@code name} may hold a folder).
	 */
	void fullPageScreenshot(String name) {
		Number height = (Number) ((JavascriptExecutor) this.driver)
			.executeScript("return document.scrollingElement.scrollHeight");
		Widths widths = widths();
		Map<String, Object> shot = chromium().executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width",
						Math.max(widths.scroll(), widths.viewport()), "height", height.intValue(), "scale", 1)));
		try {
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.createDirectories(file.getParent());
			Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private ChromeDriver chromium() {
		return (ChromeDriver) this.driver;
	}

	void screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File shot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

	/**
	 * The page's layout width and the viewport's width.
	 *
	 * @param scroll {@code document.scrollingElement.scrollWidth}
	 * @param viewport {@code innerWidth}
	 */
	record Widths(int scroll, int viewport) {

		boolean fit() {
			return this.scroll <= this.viewport;
		}

	}

}
