package dev.imperium.apps;

import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;

import java.io.IOException;

/**
 * Answers requests when the vassal has no app (neither {@code jwsgi} nor {@code imperium-app}, or it failed to
 * load): {@code 500} and a log line per request. uWSGI's {@code http-socket} logs a line too
 * ({@code unable to find JVM request handler 0} with {@code http-socket-modifier1 = 8}, else
 * {@code -- unavailable modifier requested: 0 --}) but closes the connection without any response.
 */
final class NoAppHandler implements Handler {
    private final Failures failures;

    NoAppHandler(Failures failures) {
        this.failures = failures;
    }

    @Override
    public boolean handle(Exchange exchange) throws IOException {
        failures.internalError(exchange, "--- no app loaded ---", null);
        return true;
    }
}
