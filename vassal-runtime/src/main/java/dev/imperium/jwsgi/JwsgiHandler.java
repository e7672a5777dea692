package dev.imperium.jwsgi;

import dev.imperium.http.HttpFields;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.server.net.BodyReadException;
import dev.imperium.stats.AppExceptions;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serves requests with a JWSGI app: builds the env, calls the entry point with the app's class loader as the thread
 * context class loader, checks the returned {@code Object[]} and sends it. Never declines.
 *
 * <p>Failures: an exception thrown by the app, or a response that breaks the contract, is logged to the error stream
 * (with the stack trace when there is one) and answered {@code 500}; the worker lives on. uWSGI logs the exception
 * too but sends nothing at all, leaving the client waiting. If the app fails while its body is being sent (an
 * iterator or stream throws), the failure is logged and {@link #handle} throws an {@link IOException} so that the
 * protocol layer drops the connection instead of ending a truncated body as if it were complete. An app that lets a
 * request-body framing error escape (a bad chunked body, a body over {@code limit-post}) is not at fault: that
 * {@link HttpProtocolException} is thrown on, unlogged, and the protocol layer answers its status (400, 413) and
 * closes the connection.
 *
 * <p>Thread-safe: as many threads as the vassal's {@code threads} call the app at once.
 */
public final class JwsgiHandler implements Handler {
    private static final byte[] ERROR_BODY = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);

    private final JwsgiEntryPoint app;
    private final JwsgiEnvBuilder envBuilder;
    private final ClassLoader appLoader;
    private final PrintStream errors;

    /**
     * Creates the handler, logging failures to {@code System.err}.
     *
     * @param app the loaded entry point
     * @param envBuilder builds each request's env
     * @param appLoader the loader of the app's classes, set as the thread context class loader while the app runs
     */
    public JwsgiHandler(JwsgiEntryPoint app, JwsgiEnvBuilder envBuilder, ClassLoader appLoader) {
        this(app, envBuilder, appLoader, System.err);
    }

    /**
     * Creates the handler.
     *
     * @param app the loaded entry point
     * @param envBuilder builds each request's env
     * @param appLoader the loader of the app's classes, set as the thread context class loader while the app runs
     * @param errors where failures are logged
     */
    public JwsgiHandler(JwsgiEntryPoint app, JwsgiEnvBuilder envBuilder, ClassLoader appLoader, PrintStream errors) {
        this.app = Objects.requireNonNull(app, "app");
        this.envBuilder = Objects.requireNonNull(envBuilder, "envBuilder");
        this.appLoader = Objects.requireNonNull(appLoader, "appLoader");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /**
     * Serves the request with the app; always answers.
     *
     * @return true
     * @throws IOException if the client went away, or the app failed after the response had started
     */
    @Override
    public boolean handle(Exchange exchange) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(appLoader);
        try {
            serve(exchange);
            return true;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void serve(Exchange exchange) throws IOException {
        RequestHead head = exchange.request();
        Object result;
        try {
            result = app.call(envBuilder.build(head, exchange.body()));
        } catch (Throwable t) {
            rethrowIfFatal(t);
            HttpProtocolException badBody = badRequestBody(t);
            if (badBody != null && !exchange.committed()) {
                // the client's body broke its framing: the protocol layer answers its 400 (or 413) and closes
                throw badBody;
            }
            fail(exchange, "exception in JWSGI app " + app.spec(), t);
            return;
        }
        JwsgiResponse response;
        try {
            response = JwsgiResponse.from(result);
        } catch (InvalidResponseException e) {
            fail(exchange, e.getMessage() + " (JWSGI app " + app.spec() + ")", null);
            return;
        } catch (InvocationTargetException e) {
            fail(exchange, "exception in the response of JWSGI app " + app.spec(), e.getCause());
            return;
        } catch (RuntimeException e) {
            fail(exchange, "exception in the response of JWSGI app " + app.spec(), e);
            return;
        }
        try (response) {
            ResponseBody body = exchange.respond(response.status(), response.fields(), response.contentLength());
            try {
                response.writeBody(body, "HEAD".equals(head.method()));
            } catch (AppBodyException e) {
                AppExceptions.record();
                log(head, e.getMessage() + " (JWSGI app " + app.spec() + "); response aborted", e.getCause());
                throw new IOException("response aborted: " + e.getMessage(), e);
            }
            body.close();
        }
    }

    /** Returns the request-body framing error behind an app's exception (the app let it escape), or null. */
    private static HttpProtocolException badRequestBody(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof HttpProtocolException e) {
                return e;
            }
        }
        return null;
    }

    /** Logs the failure and answers 500 if nothing was sent yet. */
    private void fail(Exchange exchange, String what, Throwable cause) throws IOException {
        AppExceptions.record();
        log(exchange.request(), what, cause);
        if (!exchange.committed()) {
            HttpFields fields = new HttpFields(1).add("Content-Type", "text/plain; charset=utf-8");
            try (ResponseBody body = exchange.respond(500, fields, ERROR_BODY.length)) {
                body.write(ERROR_BODY);
            }
        }
    }

    private void log(RequestHead head, String what, Throwable cause) {
        if (BodyReadException.in(cause) != null) {
            return; // the client's failure: the connection layer logs its one [uwsgi-body-read] line
        }
        StringWriter text = new StringWriter();
        text.append("[imperium-jwsgi] ").append(what).append(" while serving ")
                .append(head.method()).append(' ').append(head.target()).append(System.lineSeparator());
        if (cause != null) {
            cause.printStackTrace(new PrintWriter(text, true));
        }
        errors.print(text);
        errors.flush();
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
            throw fatal;
        }
    }
}
