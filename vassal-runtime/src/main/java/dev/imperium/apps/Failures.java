package dev.imperium.apps;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.server.net.BodyReadException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Logs a failed request (with the stack trace, in one write) and answers a short plain-text error. Thread-safe. */
final class Failures {
    private final PrintStream errors;
    private final String tag;

    /**
     * @param errors where failures are logged
     * @param tag the log prefix, e.g. {@code [imperium-app]}
     */
    Failures(PrintStream errors, String tag) {
        this.errors = errors;
        this.tag = tag;
    }

    /**
     * Logs {@code what} for the request, then {@code cause}'s stack trace if there is one; nothing if the cause is a
     * request body the client failed to send ({@link BodyReadException}): the connection layer logs that one line.
     */
    void log(RequestHead head, String what, Throwable cause) {
        if (BodyReadException.in(cause) != null) {
            return;
        }
        StringWriter text = new StringWriter();
        text.append(tag).append(' ').append(what).append(" while serving ")
                .append(head.method()).append(' ').append(head.target()).append(System.lineSeparator());
        if (cause != null) {
            cause.printStackTrace(new PrintWriter(text, true));
        }
        errors.print(text);
        errors.flush();
    }

    /** Logs the failure and answers 500 unless a response was already started. */
    void internalError(Exchange exchange, String what, Throwable cause) throws IOException {
        log(exchange.request(), what, cause);
        answer(exchange, 500, "Internal Server Error\n");
    }

    /** Answers {@code status} with a plain-text body unless a response was already started. */
    static void answer(Exchange exchange, int status, String text) throws IOException {
        if (exchange.committed()) {
            return;
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        HttpFields fields = new HttpFields(1).add("Content-Type", "text/plain; charset=utf-8");
        try (ResponseBody out = exchange.respond(status, fields, body.length)) {
            out.write(body);
        }
    }
}
