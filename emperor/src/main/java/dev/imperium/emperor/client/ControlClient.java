package dev.imperium.emperor.client;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The client side of the emperor's control socket: connect, send one request, read the replies. Blocking; one
 * instance per request. Used by {@code imperium}.
 *
 * <p>Before connecting it checks that the socket belongs to this user or to root, so that a socket planted by
 * another user (in {@code /tmp}) is never talked to.
 */
public final class ControlClient implements AutoCloseable {
    private final Path path;
    private final SocketChannel channel;
    private final LineFramer framer = new LineFramer(ControlCodec.MAX_REPLY_BYTES);
    private final Deque<String> pending = new ArrayDeque<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private volatile boolean timedOut;
    private volatile boolean closed;
    private String lastLine;

    private ControlClient(Path path, SocketChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Connects to the emperor.
     *
     * @param socket the control socket ({@link ControlSocketPath})
     * @param euid this process's effective user id, for the ownership check
     * @return the connected client
     * @throws ControlClientException {@link ControlClientException.Kind#NOT_RUNNING} when nothing listens there,
     *     {@link ControlClientException.Kind#PERMISSION} when this user may not connect
     */
    public static ControlClient connect(Path socket, int euid) throws ControlClientException {
        try {
            Object owner = Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner instanceof Integer uid && uid != euid && uid != 0) {
                throw new ControlClientException(ControlClientException.Kind.PERMISSION, socket + " belongs to user "
                        + uid + ", neither to you nor to root: not an emperor's socket for you");
            }
        } catch (NoSuchFileException e) {
            throw new ControlClientException(ControlClientException.Kind.NOT_RUNNING, "no emperor control socket at "
                    + socket + " (is the emperor running, and as this user? start it with --control-socket PATH or"
                    + " pass the same --control-socket here)");
        } catch (IOException | UnsupportedOperationException e) {
            // cannot stat it (e.g. a directory we may not search): connect() says why below
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new ControlClient(socket, channel);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
            String message = String.valueOf(e.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("permission denied") || lower.contains("operation not permitted")) {
                throw new ControlClientException(ControlClientException.Kind.PERMISSION, "permission denied on "
                        + socket + ": only the emperor's user (and root) may drive it");
            }
            if (lower.contains("no such file") || lower.contains("connection refused")) {
                throw new ControlClientException(ControlClientException.Kind.NOT_RUNNING, "no emperor is listening on "
                        + socket + " (" + message + ")");
            }
            throw new ControlClientException(ControlClientException.Kind.IO, "cannot connect to " + socket + ": "
                    + message);
        }
    }

    /**
     * Closes the connection after {@code timeout} unless {@link #close()} came first; a read then fails with
     * {@link ControlClientException.Kind#TIMEOUT}.
     *
     * @param timeout how long the whole exchange may take
     * @return this
     */
    public ControlClient timeout(Duration timeout) {
        Thread.ofVirtual().name("imperium-timeout").start(() -> {
            try {
                Thread.sleep(timeout);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                timedOut = true;
                close();
            }
        });
        return this;
    }

    /**
     * Sends a request.
     *
     * @param request the request
     * @throws ControlClientException if the emperor hung up
     */
    public void send(ControlRequest request) throws ControlClientException {
        ByteBuffer out = ByteBuffer.wrap((ControlCodec.encode(request) + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Reads the next reply, blocking.
     *
     * @return the reply
     * @throws ControlClientException {@link ControlClientException.Kind#CLOSED} when the emperor hung up first,
     *     {@link ControlClientException.Kind#PROTOCOL} for a reply that cannot be read
     */
    public ControlReply read() throws ControlClientException {
        String line = readLine();
        try {
            return ControlCodec.decodeReply(line);
        } catch (ProtocolException e) {
            throw new ControlClientException(ControlClientException.Kind.PROTOCOL, "unreadable reply from the"
                    + " emperor: " + e.getMessage());
        }
    }

    /** Returns the JSON text of the reply {@link #read()} returned last. */
    public String lastLine() {
        return lastLine;
    }

    private String readLine() throws ControlClientException {
        while (pending.isEmpty()) {
            int n;
            try {
                n = channel.read(buffer.clear());
            } catch (IOException e) {
                throw failure(e);
            }
            if (n < 0) {
                throw new ControlClientException(ControlClientException.Kind.CLOSED, "the emperor closed the"
                        + " connection (is it stopping?)");
            }
            try {
                pending.addAll(framer.feed(buffer.array(), 0, n));
            } catch (ProtocolException e) {
                throw new ControlClientException(ControlClientException.Kind.PROTOCOL, e.getMessage());
            }
        }
        lastLine = pending.poll();
        return lastLine;
    }

    private ControlClientException failure(IOException e) {
        if (timedOut) {
            return new ControlClientException(ControlClientException.Kind.TIMEOUT, "no answer from the emperor in"
                    + " time");
        }
        if (e instanceof AsynchronousCloseException || closed) {
            return new ControlClientException(ControlClientException.Kind.CLOSED, "connection closed");
        }
        return new ControlClientException(ControlClientException.Kind.CLOSED, "lost the connection to the emperor"
                + " on " + path + ": " + e.getMessage());
    }

    /** Closes the connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
