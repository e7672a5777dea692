package dev.imperium.emperor;

import dev.imperium.control.SocketKeeperWire;
import dev.imperium.os.FdPassing;
import dev.imperium.os.ListenQueue;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;
import dev.imperium.zerg.UnixStreams;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Issue 8: chaos. The emperor's copy of each Imperium vassal's listening sockets (emperor/README.md "What a SIGKILL
 * costs"). A vassal master sends a copy of its sockets once they are bound ({@code PUT}); a master started after one
 * died asks for them ({@code GET}) and serves them instead of binding new ones, so that while no master runs the
 * sockets stay open and clients wait in their accept queues instead of being refused. The copies are closed when the
 * vassal stops or is removed, and when the emperor exits.
 *
 * <p>It also takes over from the vassals of an emperor that was killed: such a vassal keeps serving for its
 * {@code imperium-emperor-grace} and offers its sockets on {@code orphan-PID.sock} in the dead emperor's runtime
 * directory. At start the emperor collects those offers ({@link #collectOrphans}); the new master of the same vassal
 * file gets the orphan's sockets, and once it accepts requests the orphan is stopped gracefully (SIGTERM), so that no
 * connection is refused and the vassal never runs twice for long.
 *
 * <p>The keeper listens on {@code sockets.sock} in the emperor's private runtime directory; each message names its
 * vassal by the token of its environment, which only that vassal's master knows. Thread-safe.
 */
final class SocketKeeper implements AutoCloseable {
    /** The keeper's socket in the runtime directory. */
    static final String SOCKET_NAME = "sockets.sock";
    private static final Pattern ORPHAN_SOCKET = Pattern.compile("orphan-\\d+\\.sock");
    private static final Pattern RUNTIME_DIR = Pattern.compile("imperium-emperor-(\\d+)-.*");

    /** An orphan's offer: its pid, its vassal file and its sockets (now the emperor's). */
    record Orphan(long pid, String file, int[] fds) {
        /** Only a real process id: it is signalled (never 0 or -1, which kill(2) reads as groups or everyone). */
        Orphan {
            if (pid <= 1 || pid > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("not a process id: " + pid);
            }
        }
    }

    private final Path path;
    private final int fd;
    private final Consumer<String> log;
    private final Map<String, String> names = new ConcurrentHashMap<>(); // token -> vassal name
    private final Map<String, String> files = new ConcurrentHashMap<>(); // vassal name -> its file, absolute
    private final Map<String, int[]> held = new HashMap<>(); // vassal name -> the emperor's copies
    private final Map<String, Orphan> orphans = new HashMap<>(); // vassal file -> the orphan serving it
    private final Map<String, Long> takingOver = new HashMap<>(); // vassal name -> the orphan to stop once it accepts
    private volatile boolean open = true;

    private SocketKeeper(Path path, int fd, Consumer<String> log, List<Orphan> found) {
        this.path = path;
        this.fd = fd;
        this.log = log;
        for (Orphan o : found) {
            Orphan old = orphans.put(o.file(), o);
            if (old != null) {
                closeAll(old.fds());
            }
        }
    }

    /**
     * Binds the keeper in the emperor's runtime directory and starts serving.
     *
     * @param runtimeDir the emperor's private runtime directory
     * @param log the emperor's log ({@code [emperor] ...} lines)
     * @param orphans the offers collected from a dead emperor's vassals ({@link #collectOrphans}), now the keeper's
     * @throws IOException if the socket cannot be bound
     */
    static SocketKeeper open(Path runtimeDir, Consumer<String> log, List<Orphan> orphans) throws IOException {
        Path path = runtimeDir.resolve(SOCKET_NAME);
        int fd;
        try {
            fd = SocketFds.listenUnix(path.toString(), 64);
        } catch (SocketFds.SocketError e) {
            orphans.forEach(o -> closeAll(o.fds()));
            throw new IOException("cannot bind the socket keeper " + path + ": " + e.getMessage(), e);
        }
        SocketKeeper keeper = new SocketKeeper(path, fd, log, orphans);
        Thread.ofPlatform().name("imperium-socket-keeper").daemon(true).start(keeper::acceptLoop);
        return keeper;
    }

    /** Returns the socket vassals reach the keeper on. */
    Path path() {
        return path;
    }

    /** Lets vassals running as other users connect (tyrant mode); their token still names their vassal. */
    void allowOtherUsers() throws IOException {
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    /**
     * Registers the token of a master being started.
     *
     * @param token its {@code IMPERIUM_VASSAL_TOKEN}
     * @param name the vassal's name
     * @param file the vassal's file, absolute (an orphan of the same file is this vassal's)
     */
    void issue(String token, String name, Path file) {
        names.put(token, name);
        files.put(name, file.toAbsolutePath().normalize().toString());
    }

    /** Forgets the token of a master that exited. */
    void revoke(String token) {
        names.remove(token);
    }

    /** Closes the copies kept for a vassal that stops or is gone. */
    void release(String name) {
        int[] fds;
        synchronized (this) {
            fds = held.remove(name);
            takingOver.remove(name);
        }
        if (fds != null) {
            closeAll(fds);
        }
    }

    /** Returns how many vassals have sockets kept (for tests). */
    synchronized int size() {
        return held.size();
    }

    /**
     * A vassal accepts requests: if its master took over an orphan's sockets, the orphan is stopped gracefully
     * (SIGTERM: it finishes its requests; the sockets stay open in the new master).
     */
    void accepting(String name) {
        Long pid;
        synchronized (this) {
            pid = takingOver.remove(name);
        }
        if (pid != null && pid > 1 && pid <= Integer.MAX_VALUE
                && ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
            log.accept("vassal " + name + " took over from the vassal of the dead emperor (pid: " + pid
                    + "): stopping it gracefully");
            Posix.kill(pid, Posix.SIGTERM);
        }
    }

    /** Closes every copy, the orphans' included, and removes the socket. Idempotent. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        SocketFds.closeUnix(fd, path);
        List<int[]> all = new ArrayList<>();
        synchronized (this) {
            all.addAll(held.values());
            orphans.values().forEach(o -> all.add(o.fds()));
            held.clear();
            orphans.clear();
        }
        all.forEach(SocketKeeper::closeAll);
    }

    // ------------------------------------------------------------------ serving masters

    private void acceptLoop() {
        int[] listening = {fd};
        while (open) {
            if (!ListenQueue.awaitConnection(listening, 200) || !open) {
                continue;
            }
            int client = UnixStreams.accept(fd);
            if (client >= 0) {
                Thread.ofPlatform().name("imperium-socket-keeper-client").daemon(true).start(() -> serve(client));
            }
        }
    }

    private void serve(int client) {
        try {
            FdPassing.Message message = FdPassing.receive(client, FdPassing.MAX_FDS, SocketKeeperWire.MAX_DATA);
            SocketKeeperWire.Message m;
            try {
                m = SocketKeeperWire.decode(message.data());
            } catch (IllegalArgumentException e) {
                closeAll(message.fds());
                return;
            }
            String name = names.get(m.token());
            if (name == null || (m.verb() != SocketKeeperWire.Verb.PUT && m.verb() != SocketKeeperWire.Verb.GET)) {
                closeAll(message.fds()); // not a master of ours: nothing kept, nothing given
                if (m.verb() == SocketKeeperWire.Verb.GET) {
                    FdPassing.send(client, new int[0], SocketKeeperWire.answer(0));
                }
                return;
            }
            if (m.verb() == SocketKeeperWire.Verb.PUT) {
                put(name, message.fds());
            } else {
                closeAll(message.fds());
                int[] fds = get(name);
                FdPassing.send(client, fds, SocketKeeperWire.answer(fds.length));
            }
        } catch (SocketFds.SocketError | RuntimeException e) {
            // the master went away meanwhile: nothing to do
        } finally {
            Posix.close(client);
        }
    }

    private void put(String name, int[] fds) {
        if (fds.length == 0) {
            return;
        }
        int[] old;
        synchronized (this) {
            old = held.put(name, fds);
        }
        if (old != null) {
            closeAll(old);
        }
    }

    /** The copies kept for a vassal, or those of the orphan serving its file (the keeper's now). */
    private synchronized int[] get(String name) {
        int[] fds = held.get(name);
        if (fds != null) {
            return fds;
        }
        String file = files.get(name);
        Orphan orphan = file == null ? null : orphans.remove(file);
        if (orphan == null) {
            return new int[0];
        }
        held.put(name, orphan.fds());
        takingOver.put(name, orphan.pid());
        log.accept("vassal " + name + " takes over the sockets of the vassal of the dead emperor (pid: "
                + orphan.pid() + ")");
        return orphan.fds();
    }

    // ------------------------------------------------------------------ orphans of a dead emperor

    /**
     * Collects the offers of the vassals that outlived a dead emperor: each {@code orphan-PID.sock} in a runtime
     * directory ({@code imperium-emperor-PID-...}) under {@code base} whose emperor no longer runs. Each offer's
     * socket file is removed (one emperor takes each orphan); the offers' sockets are the caller's.
     *
     * @param base where emperors create their runtime directories
     * @param log where to say what was found
     * @return the offers, possibly none
     */
    static List<Orphan> collectOrphans(Path base, Consumer<String> log) {
        List<Orphan> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, "imperium-emperor-*")) {
            for (Path dir : dirs) {
                var m = RUNTIME_DIR.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir) || ProcessHandle.of(Long.parseLong(m.group(1)))
                        .filter(ProcessHandle::isAlive).isPresent()) {
                    continue;
                }
                try (DirectoryStream<Path> sockets = Files.newDirectoryStream(dir)) {
                    for (Path socket : sockets) {
                        if (ORPHAN_SOCKET.matcher(socket.getFileName().toString()).matches()) {
                            Orphan o = receiveOrphan(socket);
                            if (o != null) {
                                found.add(o);
                                log.accept("found the vassal of a dead emperor serving " + o.file() + " (pid: "
                                        + o.pid() + ", " + o.fds().length + " socket" + (o.fds().length == 1 ? "" : "s")
                                        + ")");
                            }
                            Files.deleteIfExists(socket);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: no takeover
        }
        return found;
    }

    private static Orphan receiveOrphan(Path socket) {
        int fd = UnixStreams.connect(socket.toString());
        if (fd < 0) {
            return null; // its vassal is gone
        }
        try {
            FdPassing.Message message = FdPassing.receive(fd, FdPassing.MAX_FDS, SocketKeeperWire.MAX_DATA);
            try {
                SocketKeeperWire.Message m = SocketKeeperWire.decode(message.data());
                if (m.verb() != SocketKeeperWire.Verb.ORPHAN || message.fds().length == 0) {
                    closeAll(message.fds());
                    return null;
                }
                return new Orphan(m.pid(), m.file(), message.fds());
            } catch (IllegalArgumentException e) {
                closeAll(message.fds());
                return null;
            }
        } catch (SocketFds.SocketError e) {
            return null;
        } finally {
            Posix.close(fd);
        }
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            Posix.close(fd);
        }
    }
}
