package dev.imperium.vassal;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.SocketKeeperWire;
import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;
import dev.imperium.zerg.UnixStreams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 8: chaos. The master's side of the emperor's socket keeper ({@link SocketKeeperWire}): the master gives the
 * emperor a copy of its listening sockets ({@link #offer}), and a master started again after a crash (SIGKILL, OOM
 * killer) takes them back ({@link #take}) instead of binding new ones. While no master runs, the sockets stay open
 * in the emperor, so clients wait in their accept queues instead of being refused, as systemd's socket units keep
 * a service's sockets across its restarts. Option {@code imperium-emperor-sockets} (default on).
 */
final class EmperorSockets {
    /** The socket keeper's path in the emperor's environment for its vassals. */
    static final String ENV_KEEPER = EmperorMessage.ENV_SOCKET_KEEPER;

    private final String keeper;
    private final String token;

    private EmperorSockets(String keeper, String token) {
        this.keeper = keeper;
        this.token = token;
    }

    /** Returns the link to the emperor's keeper, or null when the vassal runs without one (or without emperor). */
    static EmperorSockets fromEnvironment(Map<String, String> env) {
        String keeper = env.get(ENV_KEEPER);
        String token = env.get(EmperorMessage.ENV_TOKEN);
        if (keeper == null || keeper.isEmpty() || token == null || token.isEmpty()) {
            return null;
        }
        return new EmperorSockets(keeper, token);
    }

    /**
     * Asks the emperor for the sockets it kept for this vassal: those of a master that died.
     *
     * @return the sockets (their spec is a uwsgi one: the caller matches them by address), possibly none
     * @throws IOException if the keeper cannot be reached or answers nonsense
     */
    List<ListenSocket> take() throws IOException {
        int fd = connect();
        FdPassing.Message answer;
        try {
            FdPassing.send(fd, new int[0], SocketKeeperWire.request(SocketKeeperWire.Verb.GET, token));
            answer = FdPassing.receive(fd, FdPassing.MAX_FDS, SocketKeeperWire.MAX_DATA);
        } catch (SocketFds.SocketError e) {
            throw new IOException("socket keeper " + keeper + ": " + e.getMessage(), e);
        } finally {
            Posix.close(fd);
        }
        List<ListenSocket> sockets = new ArrayList<>();
        try {
            SocketKeeperWire.Message m = SocketKeeperWire.decode(answer.data());
            if (m.verb() == SocketKeeperWire.Verb.NONE && answer.fds().length == 0) {
                return List.of();
            }
            if (m.verb() != SocketKeeperWire.Verb.KEPT || m.count() != answer.fds().length) {
                throw new IllegalArgumentException("socket keeper: unexpected answer " + m.verb());
            }
            for (int socket : answer.fds()) {
                sockets.add(describe(socket));
            }
            return sockets;
        } catch (IllegalArgumentException | SocketFds.SocketError e) {
            for (int socket : answer.fds()) {
                Posix.close(socket);
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Gives the emperor a copy of the master's listening sockets (replacing those it kept before).
     *
     * @param sockets the sockets clients connect to; none is a no-op
     * @throws IOException if the keeper cannot be reached
     */
    void offer(List<ListenSocket> sockets) throws IOException {
        if (sockets.isEmpty()) {
            return;
        }
        int fd = connect();
        try {
            int[] fds = sockets.stream().mapToInt(ListenSocket::fd).distinct().toArray();
            FdPassing.send(fd, fds, SocketKeeperWire.request(SocketKeeperWire.Verb.PUT, token));
        } catch (SocketFds.SocketError e) {
            throw new IOException("socket keeper " + keeper + ": " + e.getMessage(), e);
        } finally {
            Posix.close(fd);
        }
    }

    private int connect() throws IOException {
        int fd = UnixStreams.connect(keeper);
        if (fd < 0) {
            throw new IOException("cannot reach the emperor's socket keeper " + keeper + " (errno " + -fd + ")");
        }
        return fd;
    }

    /** Names a received listening socket by its address ({@code getsockname}). */
    static ListenSocket describe(int fd) throws SocketFds.SocketError {
        byte[] sockaddr = SocketFds.localAddressBytes(fd);
        String address = StdinSocket.addressText(sockaddr);
        if (address == null) {
            throw new IllegalArgumentException("fd " + fd + " is no TCP or UNIX socket");
        }
        boolean unixFamily = ((sockaddr[0] & 0xFF) | (sockaddr[1] & 0xFF) << 8) == SocketFds.FAMILY_UNIX;
        boolean file = unixFamily && !address.startsWith("@");
        return new ListenSocket(SocketSpec.parse(address, SocketProtocol.UWSGI), fd, address,
                file ? Path.of(address) : null);
    }
}
