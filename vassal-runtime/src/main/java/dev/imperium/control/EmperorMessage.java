package dev.imperium.control;

/**
 * Frame types on the emperor-to-vassal control channel.
 *
 * <p>The numbers of uWSGI's emperor protocol are kept where uWSGI has the message (uwsgi-docs "EmperorProtocol",
 * {@code core/emperor.c}); the others (32 and up) are Imperium's. Payloads are UTF-8 text.
 */
public final class EmperorMessage {
    private EmperorMessage() {
    }

    // ---- emperor -> vassal ----
    /** Stop now, as uWSGI's byte 0: workers are killed without waiting for in-flight requests. */
    public static final int STOP = 0;
    /** Re-read the vassal file and replace the workers gracefully, as uWSGI's byte 1. */
    public static final int RELOAD = 1;
    /** Stop gracefully, as uWSGI's byte 2: stop accepting, finish in-flight requests, exit. */
    public static final int STOP_GRACEFUL = 2;

    // ---- vassal -> emperor ----
    /** The vassal master is set up and starts its workers (uWSGI byte 1, logged "has been spawned"). */
    public static final int SPAWNED = 1;
    /** A generation of workers accepts requests (uWSGI byte 5). Payload: the generation number. */
    public static final int ACCEPTING = 5;
    /** The vassal completed its first request (uWSGI byte 17). */
    public static final int LOYAL = 17;
    /** The vassal asks to be stopped, e.g. idle with die-on-idle (uWSGI byte 22). */
    public static final int VOLUNTARY_SHUTDOWN = 22;
    /**
     * The vassal asks for reinforcements (uWSGI byte 30, broodlord SOS: {@code vassal-sos}, {@code vassal-sos-backlog},
     * master FIFO {@code B}): an emperor with {@code emperor-broodlord N} starts a zerg of it, {@code NAME:zerg}, while
     * fewer than N zergs run.
     */
    public static final int BROODLORD_SOS = 30;
    /**
     * The vassal is alive: its master sends it every {@code heartbeat} seconds while its event loop runs. uWSGI's
     * counterpart is byte 26 (a foreign uWSGI vassal's is handled the same way); an emperor that has had one expects
     * the next within {@code emperor-required-heartbeat} seconds, else kills and respawns the vassal.
     */
    public static final int HEARTBEAT = 36;
    /** First frame of a vassal: payload {@code "<token> <pid>"}, the token from {@code IMPERIUM_VASSAL_TOKEN}. */
    public static final int HELLO = 32;
    /** A reload was refused and the old generation keeps serving. Payload: the reason, one line. */
    public static final int RELOAD_FAILED = 33;
    /** The vassal cannot start (bad config, bind failure...) and will exit. Payload: the reason, one line. */
    public static final int FATAL = 34;
    /**
     * The vassal's stats, every 2 s and right after each generation accepts. Payload: UTF-8 minified JSON, the
     * vassal's uWSGI 2.0 stats document plus an {@code "imperium"} object of totals
     * across worker respawns and reloads.
     */
    public static final int STATS_REPORT = 35;

    /** Environment variable naming the emperor's control socket (an AF_UNIX path). */
    public static final String ENV_SOCKET = "IMPERIUM_EMPEROR_SOCKET";
    /** Environment variable carrying the vassal's token for {@link #HELLO}. */
    public static final String ENV_TOKEN = "IMPERIUM_VASSAL_TOKEN";
    /** Environment variable naming the vassals directory (uWSGI's {@code %v} magic variable). */
    public static final String ENV_VASSALS_DIR = "IMPERIUM_VASSALS_DIR";
    /** Environment variable carrying the emperor's pid, so the vassal can check its parent. */
    public static final String ENV_EMPEROR_PID = "IMPERIUM_EMPEROR_PID";
    /** Issue 8: chaos. Environment variable naming the emperor's socket keeper ({@link SocketKeeperWire}). */
    public static final String ENV_SOCKET_KEEPER = "IMPERIUM_SOCKET_KEEPER";
    /** Issue 8: chaos. Environment variable carrying the vassal's file, absolute (for a takeover by a new emperor). */
    public static final String ENV_VASSAL_FILE = "IMPERIUM_VASSAL_FILE";
}
