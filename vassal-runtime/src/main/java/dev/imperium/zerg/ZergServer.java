package dev.imperium.zerg;

import dev.imperium.os.FdPassing;
import dev.imperium.os.ListenQueue;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;
import dev.imperium.vassal.SocketProtocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The lord's zerg server ({@code zerg-server = ADDR}; uWSGI 2.0 {@code core/master.c}, {@code core/socket.c
 * uwsgi_manage_zerg}): a UNIX socket on which the master hands its listening sockets to every process that connects
 * (a zerg), in one {@code SCM_RIGHTS} message whose data is {@link ZergWire}'s, then closes the connection. The zerg
 * then accepts on the same sockets as the lord's workers: the kernel spreads the connections over both.
 *
 * <p>A platform thread waits for connections; each one is served on the master's event loop ({@code post}), which
 * names the sockets of the generation serving at that moment. The socket file (not an {@code @abstract} name) is
 * removed at {@link #close()}.
 */
public final class ZergServer implements AutoCloseable {
    /** One socket to hand over: its descriptor and the protocol it speaks. */
    public record Offer(int fd, SocketProtocol protocol) {
    }

    private final String address;
    private final int fd;
    private final Path file;
    private final Consumer<String> log;
    private volatile boolean open = true;

    private ZergServer(String address, int fd, Path file, Consumer<String> log) {
        this.address = address;
        this.fd = fd;
        this.file = file;
        this.log = log;
    }

    /**
     * Binds the zerg server and logs {@code *** Zerg server enabled on ADDR ***}.
     *
     * @param address a path (relative to {@code baseDir}) or {@code @name}
     * @param baseDir the directory a relative path is resolved against
     * @param backlog the accept queue (the vassal's {@code listen})
     * @param log where the line goes
     * @throws IOException naming the address when it cannot be bound
     */
    public static ZergServer open(String address, Path baseDir, int backlog, Consumer<String> log)
            throws IOException {
        try {
            if (address.startsWith("@")) {
                int fd = SocketFds.listenAbstract(address.substring(1), backlog);
                log.accept("*** Zerg server enabled on " + address + " ***");
                return new ZergServer(address, fd, null, log);
            }
            Path file = baseDir.resolve(address).normalize();
            Files.deleteIfExists(file);
            int fd = SocketFds.listenUnix(file.toString(), backlog);
            log.accept("*** Zerg server enabled on " + address + " ***");
            return new ZergServer(address, fd, file, log);
        } catch (SocketFds.SocketError | IllegalArgumentException e) {
            throw new IOException("unable to bind zerg-server " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts serving zergs.
     *
     * @param post runs a task on the master's event loop
     * @param sockets called on the event loop: the sockets to hand over now, in the vassal's order
     */
    public void start(Consumer<Runnable> post, Supplier<List<Offer>> sockets) {
        Thread.ofPlatform().name("zerg-server").daemon(true).start(() -> {
            int[] listening = {fd};
            while (open) {
                if (!ListenQueue.awaitConnection(listening, 200) || !open) {
                    continue;
                }
                int client = UnixStreams.accept(fd);
                if (client < 0) {
                    continue; // EAGAIN, or closed meanwhile
                }
                post.accept(() -> serve(client, sockets.get()));
            }
        });
    }

    /** Sends the sockets to one connected zerg and closes the connection. */
    private void serve(int client, List<Offer> offers) {
        try {
            Map<Integer, SocketProtocol> unique = new LinkedHashMap<>();
            for (Offer o : offers) {
                unique.putIfAbsent(o.fd(), o.protocol());
            }
            if (unique.isEmpty() || !open) {
                return;
            }
            int[] fds = unique.keySet().stream().mapToInt(Integer::intValue).toArray();
            List<String> protocols = unique.values().stream().map(SocketProtocol::wireName).toList();
            FdPassing.send(client, fds, ZergWire.encode(protocols));
        } catch (SocketFds.SocketError | RuntimeException e) {
            log.accept("zerg-server " + address + ": sendmsg(): " + e.getMessage());
        } finally {
            Posix.close(client);
        }
    }

    /** Returns the address as configured. */
    public String address() {
        return address;
    }

    /** Stops serving, closes the socket and removes its file. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        SocketFds.closeUnix(fd, file);
    }
}
