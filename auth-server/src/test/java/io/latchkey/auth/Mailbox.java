package io.latchkey.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.latchkey.testsupport.RealRedis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real SMTP server (GreenMail, in this JVM) on a free loopback port that keeps every
 * notice mailed to it, for tests of notices by e-mail. Register it on a static field
 * ({@code @RegisterExtension}): it empties before each test and stops after the class's
 * last.
 */
public final class Mailbox implements BeforeEachCallback, AfterAllCallback {

	private final GreenMail smtp;

	private Mailbox(GreenMail smtp) {
		this.smtp = smtp;
	}

	public static Mailbox start() {
		GreenMail smtp = new GreenMail(new ServerSetup(RealRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		return new Mailbox(smtp);
	}

	/** Points Spring Boot's {@code spring.mail.*} sender at this server. */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> this.smtp.getSmtp().getPort());
	}

	/** Every mail received, once per recipient. */
	public List<MimeMessage> received() {
		return List.of(this.smtp.getReceivedMessages());
	}

	/**
	 * The notices about the given owner's tokens (the body's {@code Owner:} line), each
	 * once however many recipients it had, oldest first.
	 */
	public List<MimeMessage> about(String owner) {
		List<MimeMessage> about = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (MimeMessage mail : this.smtp.getReceivedMessages()) {
			String body = content(mail);
			if (seen.add(messageId(mail)) && (body.contains("Owner:       " + owner + "\r\n")
					|| body.contains("Owner:       " + owner + "\n"))) {
				about.add(mail);
			}
		}
		return about;
	}

	/** The mails whose headers name the given address, once per recipient. */
	public List<MimeMessage> to(String email) {
		return received().stream().filter((mail) -> GreenMailUtil.getHeaders(mail).contains(email)).toList();
	}

	public void clear() {
		try {
			this.smtp.purgeEmailFromAllMailboxes();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		clear();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	public void stop() {
		this.smtp.stop();
	}

	private static String content(MimeMessage mail) {
		try {
			return String.valueOf(mail.getContent());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String messageId(MimeMessage mail) {
		try {
			return mail.getMessageID();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
