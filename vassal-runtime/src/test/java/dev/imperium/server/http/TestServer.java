package dev.imperium.server.http;

import dev.imperium.server.net.Listener;
import dev.imperium.server.Handler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener on 127.0.0.1 (or a UNIX socket) with a test handler; records what the layer reports. */
final class TestServer implements AutoCloseable {
    final Listener listener;
    final ServerSocketChannel channel;
    final RecordingLog log = new RecordingLog();
    private final int port;

    private TestServer(ServerSocketChannel channel, Handler handler, Http1Config config) throws IOException {
        this(channel, handler, config, dev.imperium.server.net.ConnectionLimit.NONE);
    }

    private TestServer(ServerSocketChannel channel, Handler handler, Http1Config config,
            dev.imperium.server.net.ConnectionLimit limit) throws IOException {
        this.channel = channel;
        this.port = channel.getLocalAddress() instanceof InetSocketAddress inet ? inet.getPort() : 0;
        this.listener = Http1Connection.listener(channel, handler, config, log).limitConnections(limit);
        listener.start();
    }

    /** A server that holds at most {@code limit}'s connections at once. */
    static TestServer tcp(Handler handler, Http1Config config, dev.imperium.server.net.ConnectionLimit limit)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new TestServer(channel, handler, config, limit);
    }

    static TestServer tcp(Handler handler) throws IOException {
        return tcp(handler, Http1Config.defaults());
    }

    static TestServer tcp(Handler handler, Http1Config config) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new TestServer(channel, handler, config);
    }

    static TestServer unix(Path socket, Handler handler) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        return new TestServer(channel, handler, Http1Config.defaults());
    }

    int port() {
        return port;
    }

    RawClient client() throws IOException {
        return RawClient.connect(port());
    }

    @Override
    public void close() throws InterruptedException {
        listener.close();
        if (!listener.awaitTermination(Duration.ofSeconds(5))) {
            throw new AssertionError("listener did not terminate");
        }
    }

    /** Records every report, for assertions. */
    static final class RecordingLog implements Http1Log {
        final List<String> rejected = new CopyOnWriteArrayList<>();
        final List<Throwable> handlerFailures = new CopyOnWriteArrayList<>();
        final List<String> timeouts = new CopyOnWriteArrayList<>();
        final List<Integer> completedStatuses = new CopyOnWriteArrayList<>();
        final List<Throwable> internalErrors = new CopyOnWriteArrayList<>();
        final List<String> bodyReadFailures = new CopyOnWriteArrayList<>();

        @Override
        public void bodyReadFailed(String remoteAddress, dev.imperium.server.net.BodyReadException failure) {
            bodyReadFailures.add(failure.getMessage());
        }

        @Override
        public void requestRejected(String remoteAddress, int status, String reason) {
            rejected.add(status + " " + reason);
        }

        @Override
        public void handlerFailed(dev.imperium.server.RequestHead request, Throwable failure) {
            (request == null ? internalErrors : handlerFailures).add(failure);
        }

        @Override
        public void exchangeCompleted(dev.imperium.server.Exchange exchange, long durationNanos) {
            completedStatuses.add(exchange.status());
        }

        @Override
        public void timedOut(String remoteAddress, String phase) {
            timeouts.add(phase);
        }
    }
}
