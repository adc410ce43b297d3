package io.latchkey.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * A Logback appender that keeps the text of every log event of the test run: message and
 * stack traces.
 */
public class CapturedLogs extends AppenderBase<ILoggingEvent> {

	private static final List<String> events = new CopyOnWriteArrayList<>();

	@Override
	protected void append(ILoggingEvent event) {
		StringBuilder text = new StringBuilder(event.getFormattedMessage());
		for (IThrowableProxy failure = event.getThrowableProxy(); failure != null; failure = failure.getCause()) {
			text.append('\n').append(failure.getClassName()).append(": ").append(failure.getMessage());
			for (StackTraceElementProxy frame : failure.getStackTraceElementProxyArray()) {
				text.append('\n').append(frame.getSTEAsString());
			}
		}
		events.add(text.toString());
	}

	public static List<String> events() {
		return List.copyOf(events);
	}

}
