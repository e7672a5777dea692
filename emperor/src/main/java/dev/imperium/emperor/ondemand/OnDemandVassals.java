package dev.imperium.emperor.ondemand;

import dev.imperium.emperor.VassalEvent;
import dev.imperium.emperor.VassalState;
import dev.imperium.vassal.ListenSocket;
import dev.imperium.vassal.SocketProtocol;
import dev.imperium.vassal.SocketSpec;
import dev.imperium.vassal.UnixSocketOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The emperor's on-demand vassals (uWSGI's {@code emperor-on-demand-*}, uwsgi-docs "OnDemandVassals"; issue 7): for
 * each one, the listening socket the emperor binds itself, watched for a first connection while the vassal sleeps
 * and handed to the vassal as its fd 0 when it runs. Confined to the emperor's event loop, except the connection
 * callback, which the caller posts to that loop.
 *
 * <p>The socket is watched exactly while the vassal is in {@link VassalState#ON_DEMAND} ({@link #sync} after every
 * transition): whatever path brings a vassal back to sleep (idle, a crash and its backoff, a stop of its process)
 * re-arms it, and none leaves it armed while a process serves it, so it can neither stay deaf (uWSGI issue #608) nor
 * spawn twice.
 */
public final class OnDemandVassals implements AutoCloseable {
    /** uWSGI binds the socket with the emperor's {@code listen} queue length: 100 by default. */
    static final int BACKLOG = 100;

    private final OnDemandSettings settings;
    private final java.util.function.Function<String, Path> dirOf;
    private final Consumer<String> onConnection;
    private final Consumer<String> log;
    private final Map<String, Entry> entries = new HashMap<>();
    private ConnectionWatch watch;

    private static final class Entry {
        final String socketName;
        final ListenSocket socket;

        Entry(String socketName, ListenSocket socket) {
            this.socketName = socketName;
            this.socket = socket;
        }
    }

    /**
     * Creates the registry.
     *
     * @param settings the on-demand options
     * @param dirOf the directory a vassal runs in, by name (its monitor's: several monitors, issue 7)
     * @param onConnection told a vassal's name when a client connects to its sleeping socket (on the watch thread:
     *     post it to the event loop, then feed {@link VassalEvent#CONNECTION} if the vassal is still asleep)
     * @param log writes one emperor log line (with uWSGI's {@code [uwsgi-emperor]} prefix already in it)
     */
    public OnDemandVassals(OnDemandSettings settings, java.util.function.Function<String, Path> dirOf,
                           Consumer<String> onConnection, Consumer<String> log) {
        this.settings = settings;
        this.dirOf = dirOf;
        this.onConnection = onConnection;
        this.log = log;
    }

    /**
     * Returns the event a vassal gets instead of {@code event} because it is (or becomes) on demand: a new file with
     * a socket name binds it ({@link VassalEvent#ON_DEMAND_ARMED}; a socket that cannot be bound drops the vassal
     * until its file changes, as uWSGI does), a backoff that ends re-arms the socket instead of spawning, and
     * message 22 ({@code die-on-idle}) sends it back to sleep ({@link VassalEvent#BACK_TO_ON_DEMAND}).
     *
     * @param name the vassal's name
     * @param state its state before the event
     * @param event what happened
     * @return the event to feed the state machine
     */
    public VassalEvent translate(String name, VassalState state, VassalEvent event) {
        if (state == VassalState.NEW && event == VassalEvent.FILE_CHANGED && settings.enabled()) {
            return add(name);
        }
        if (!entries.containsKey(name)) {
            return event;
        }
        return switch (event) {
            case BACKOFF_ELAPSED -> VassalEvent.ON_DEMAND_ARMED;
            case VOLUNTARY_SHUTDOWN -> VassalEvent.BACK_TO_ON_DEMAND;
            default -> event;
        };
    }

    private VassalEvent add(String name) {
        String socketName;
        try {
            socketName = SocketNames.find(settings, dirOf.apply(name), name);
        } catch (IOException | RuntimeException e) {
            log.accept("[uwsgi-emperor] cannot find the on-demand socket of " + name + ": " + e.getMessage()
                    + "; touch the file to retry");
            return VassalEvent.STOP_REQUESTED;
        }
        if (socketName == null) {
            return VassalEvent.FILE_CHANGED;
        }
        try {
            entries.put(name, new Entry(socketName, bind(socketName, dirOf.apply(name))));
            return VassalEvent.ON_DEMAND_ARMED;
        } catch (IOException | RuntimeException e) {
            log.accept("[uwsgi-emperor] cannot bind the on-demand socket \"" + socketName + "\" of " + name + ": "
                    + e.getMessage() + "; touch the file to retry");
            return VassalEvent.STOP_REQUESTED;
        }
    }

    /**
     * Binds as uWSGI's {@code on_demand_bind}: a name with a colon is TCP (an empty host: every interface), anything
     * else a UNIX socket (an old file of that name replaced, mode 0666), or {@code @name} an abstract one; a relative
     * path is relative to the vassal directory.
     */
    private ListenSocket bind(String socketName, Path vassalDir) throws IOException {
        SocketSpec spec = SocketSpec.parse(socketName, SocketProtocol.UWSGI);
        return ListenSocket.bind(spec, vassalDir, BACKLOG, new UnixSocketOptions(0666, null, -1, false, false));
    }

    /**
     * Arms or disarms a vassal's socket for its new state, after a transition: watched in
     * {@link VassalState#ON_DEMAND} only; closed (and its UNIX socket file removed) once the vassal is
     * {@link VassalState#GONE}.
     */
    public void sync(String name, VassalState state) {
        Entry e = entries.get(name);
        if (e == null) {
            return;
        }
        int fd = e.socket.fd();
        if (state == VassalState.ON_DEMAND) {
            if (watch == null) {
                watch = new ConnectionWatch();
            }
            if (!watch.isArmed(fd)) {
                watch.arm(fd, () -> onConnection.accept(name));
            }
            return;
        }
        if (watch != null) {
            watch.disarm(fd);
        }
        if (state == VassalState.GONE) {
            entries.remove(name);
            close(e);
        }
    }

    /** Returns whether {@code name} is an on-demand vassal. */
    public boolean isOnDemand(String name) {
        return entries.containsKey(name);
    }

    /** Returns the socket to hand a vassal as its fd 0, or -1 if it is not on demand. */
    public int stdinSocket(String name) {
        Entry e = entries.get(name);
        return e == null ? -1 : e.socket.fd();
    }

    /** Returns a vassal's socket name as its file gave it (uWSGI's stats {@code on_demand}), or "" if none. */
    public String socketName(String name) {
        Entry e = entries.get(name);
        return e == null ? "" : e.socketName;
    }

    /** Returns uWSGI's line for a vassal that sleeps: waiting for connections on its socket. */
    public String waitingLine(String name, boolean again) {
        return "[uwsgi-emperor] " + name + " -> " + (again ? "back to \"on demand\" mode" : "\"on demand\" instance "
                + "detected") + ", waiting for connections on socket \"" + socketName(name) + "\" ...";
    }

    private static void close(Entry e) {
        e.socket.close();
        if (e.socket.unixPath() != null) {
            try {
                Files.deleteIfExists(e.socket.unixPath());
            } catch (IOException ignored) {
                // nothing listens there any more either way
            }
        }
    }

    /** Stops watching and closes every socket (the emperor exits). */
    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        entries.values().forEach(OnDemandVassals::close);
        entries.clear();
    }
}
