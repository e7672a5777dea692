package dev.imperium.vassal;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.SocketKeeperWire;
import dev.imperium.os.FdPassing;
import dev.imperium.os.ListenQueue;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;
import dev.imperium.zerg.UnixStreams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Issue 8: chaos. What a vassal master whose emperor died offers the next emperor: a UNIX socket
 * {@code orphan-PID.sock} in the dead emperor's runtime directory, on which it hands over its listening sockets
 * ({@link SocketKeeperWire#orphan}) to whoever connects (only the emperor's user can: the directory is private). The
 * new emperor gives them to the new master of the same vassal file, then stops this one gracefully.
 */
final class OrphanOffer implements AutoCloseable {
    private final Path file;
    private final int fd;
    private final int[] sockets;
    private final byte[] message;
    private volatile boolean open = true;

    private OrphanOffer(Path file, int fd, int[] sockets, byte[] message) {
        this.file = file;
        this.fd = fd;
        this.sockets = sockets;
        this.message = message;
    }

    /**
     * Starts offering {@code sockets} next to the dead emperor's control socket.
     *
     * @param env the master's environment (the emperor's socket, the vassal file)
     * @param sockets the sockets clients connect to
     * @return the offer, or null when there is nothing to offer or nowhere to offer it (logged)
     */
    static OrphanOffer open(Map<String, String> env, List<ListenSocket> sockets) {
        String control = env.get(EmperorMessage.ENV_SOCKET);
        String vassalFile = env.get(EmperorMessage.ENV_VASSAL_FILE);
        if (control == null || vassalFile == null || vassalFile.isEmpty() || sockets.isEmpty()) {
            return null;
        }
        long pid = ProcessHandle.current().pid();
        Path file = Path.of(control).resolveSibling("orphan-" + pid + ".sock");
        try {
            Files.deleteIfExists(file);
            int fd = SocketFds.listenUnix(file.toString(), 8);
            OrphanOffer offer = new OrphanOffer(file, fd,
                    sockets.stream().mapToInt(ListenSocket::fd).distinct().toArray(),
                    SocketKeeperWire.orphan(pid, vassalFile));
            Thread.ofPlatform().name("orphan-offer").daemon(true).start(offer::serve);
            return offer;
        } catch (IOException | SocketFds.SocketError | RuntimeException e) {
            Log.line("cannot offer the sockets to a new emperor on " + file + ": " + e.getMessage());
            return null;
        }
    }

    /** Returns the socket the next emperor connects to. */
    Path file() {
        return file;
    }

    private void serve() {
        int[] listening = {fd};
        while (open) {
            if (!ListenQueue.awaitConnection(listening, 200) || !open) {
                continue;
            }
            int client = UnixStreams.accept(fd);
            if (client < 0) {
                continue;
            }
            try {
                FdPassing.send(client, sockets, message);
                Log.line("handed the sockets over to a new emperor");
            } catch (SocketFds.SocketError | RuntimeException e) {
                Log.line("cannot hand the sockets over to a new emperor: " + e.getMessage());
            } finally {
                Posix.close(client);
            }
        }
    }

    /** Stops offering and removes the socket file. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        SocketFds.closeUnix(fd, file);
    }
}
