package dev.imperium.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Connection;
import dev.imperium.server.http.Http1Log;
import java.io.IOException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Listener} on 127.0.0.1 for the protocol connection tests: serves one protocol, records what the layer
 * logs ({@code protocolError} lines as they are, {@code "413 reason"}, {@code "timeout read"},
 * {@code "failed message"}), counts accepted connections, and offers an echo handler.
 */
public final class LoopbackServer implements AfterEachCallback {
    /** What the layer logged, in order. */
    public final List<String> logged = new CopyOnWriteArrayList<>();
    /** The last request {@link #echo} served. */
    public final AtomicReference<RequestHead> seen = new AtomicReference<>();
    /** The connections accepted since {@link #start}. */
    public final AtomicInteger accepted = new AtomicInteger();

    /** Records the layer's reports into {@link #logged}. */
    public final Http1Log log = new Http1Log() {
        @Override
        public void protocolError(String line) {
            logged.add(line);
        }

        @Override
        public void requestRejected(String remoteAddress, int status, String reason) {
            logged.add(status + " " + reason);
        }

        @Override
        public void timedOut(String remoteAddress, String phase) {
            logged.add("timeout " + phase);
        }

        @Override
        public void handlerFailed(RequestHead request, Throwable failure) {
            logged.add("failed " + failure.getMessage());
        }

        @Override
        public void bodyReadFailed(String remoteAddress, dev.imperium.server.net.BodyReadException failure) {
            logged.add(failure.getMessage());
        }
    };

    /** Echoes the body with {@code Content-Type: text/x-echo} and {@code X-Path}; /unknown answers without a length. */
    public final Handler echo = exchange -> {
        seen.set(exchange.request());
        byte[] body = exchange.body().readAllBytes();
        HttpFields fields = new HttpFields().add("Content-Type", "text/x-echo").add("X-Path",
                exchange.request().path());
        long length = exchange.request().path().equals("/unknown") ? -1 : body.length;
        try (OutputStream out = exchange.respond(200, fields, length)) {
            out.write(body);
        }
        return true;
    };

    private Listener listener;
    private int port;

    /**
     * Returns the variables nginx sends for a request to {@code uri} (its stock params), from 192.0.2.7:40000 to
     * port 8080 with {@code Host: example.test}, in a map the test may add to.
     */
    public static Map<String, String> requestVars(String method, String uri) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("REQUEST_METHOD", method);
        vars.put("REQUEST_URI", uri);
        int q = uri.indexOf('?');
        vars.put("PATH_INFO", q < 0 ? uri : uri.substring(0, q));
        vars.put("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1));
        vars.put("SERVER_PROTOCOL", "HTTP/1.1");
        vars.put("REMOTE_ADDR", "192.0.2.7");
        vars.put("REMOTE_PORT", "40000");
        vars.put("SERVER_PORT", "8080");
        vars.put("HTTP_HOST", "example.test");
        return vars;
    }

    /** Makes a protocol's connection factory, e.g. {@code UwsgiConnection::factory}. */
    @FunctionalInterface
    public interface Protocol {
        /** Returns the factory serving {@code handler} with {@code config}, reporting to {@code log}. */
        ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log);
    }

    /** Starts listening on an ephemeral port of 127.0.0.1. */
    public void start(Protocol protocol, Handler handler, Http1Config config) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        ConnectionFactory factory = protocol.factory(handler, config, log);
        listener = new Listener(channel, ch -> {
            accepted.incrementAndGet();
            return factory.open(ch);
        }, Http1Connection.timing(config), e -> { });
        listener.start();
    }

    /** Closes the listener and its connections, if started. */
    /** Stops the listener after each test, when registered with {@code @RegisterExtension}. */
    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        stop();
    }

    public void stop() throws InterruptedException {
        if (listener != null) {
            listener.close();
            assertThat(listener.awaitTermination(Duration.ofSeconds(5))).isTrue();
            listener = null;
        }
    }

    /** Returns the port. */
    public int port() {
        return port;
    }

    /** Returns the running listener. */
    public Listener listener() {
        return listener;
    }

    /** Opens a connection with a 10 s read timeout. */
    public Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends the bytes, reads until the server closes, returns what came back (ISO-8859-1). */
    public String exchange(byte[] request) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(request);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
