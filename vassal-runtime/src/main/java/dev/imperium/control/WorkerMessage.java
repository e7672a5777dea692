package dev.imperium.control;

/**
 * Frame types on the master-to-worker control channel, an AF_UNIX stream socket the master listens on and each
 * worker connects to at start. Payloads are UTF-8 text.
 */
public final class WorkerMessage {
    private WorkerMessage() {
    }

    // ---- worker -> master ----
    /** First frame of a worker: payload {@code "<worker id> <generation> <token> <pid>"}. */
    public static final int HELLO = 1;
    /** The worker loaded its app and accepts connections. */
    public static final int ACCEPTING = 5;
    /** The worker completed its first request (the vassal becomes loyal, uWSGI byte 17). */
    public static final int FIRST_REQUEST = 17;
    /**
     * The worker served its {@code max-requests}: it stops accepting, finishes its requests in flight and exits; the
     * master starts its replacement at once.
     */
    public static final int RECYCLING = 18;
    /** The worker cannot start; payload: the reason, one line. Sent just before it exits. */
    public static final int FATAL = 34;

    // ---- master -> worker ----
    /** One resolved config entry: payload {@code key NUL value NUL file NUL line}. */
    public static final int CONFIG_ENTRY = 64;
    /** End of the config: the worker may start. */
    public static final int CONFIG_END = 65;
    /** Stop accepting, finish in-flight requests, exit 0 (uWSGI's SIGHUP to a worker). */
    public static final int STOP_GRACEFUL = 66;
    /** Exit now (uWSGI's SIGINT to a worker). */
    public static final int STOP = 67;
    // Master operations (80-89): pause, log reopen, harakiri-verbose.
    /** Stop accepting connections until {@link #RESUME}; requests in flight go on (master FIFO {@code p}). */
    public static final int PAUSE = 80;
    /** Accept connections again after {@link #PAUSE}. */
    public static final int RESUME = 81;
    /** Log the stack of each request in flight, before a harakiri kill ({@code harakiri-verbose}). */
    public static final int HARAKIRI_DUMP = 83;

    /** Environment variable naming the master's worker control socket. */
    public static final String ENV_SOCKET = "IMPERIUM_MASTER_SOCKET";
    /** Environment variable carrying the worker's token for {@link #HELLO}. */
    public static final String ENV_TOKEN = "IMPERIUM_WORKER_TOKEN";
    /** Environment variable naming the worker's scoreboard file (set only under {@code harakiri}). */
    public static final String ENV_SCOREBOARD = "IMPERIUM_SCOREBOARD";
    /** Environment variable carrying the worker id (1..processes), also visible to apps. */
    public static final String ENV_WORKER_ID = "IMPERIUM_WORKER_ID";
    /**
     * Environment variable: the protocols of the vassal's sockets, in order, comma-separated ({@code http},
     * {@code uwsgi}); one socket is the worker's fd 0, several are sent over fd 0 ({@code SCM_RIGHTS}).
     */
    public static final String ENV_PROTOCOLS = "IMPERIUM_SOCKET_PROTOCOLS";

    /** Exit code of a worker whose app could not be loaded under {@code need-app} (uWSGI's 22). */
    public static final int EXIT_NO_APP = 22;
    /** Exit code of a worker that stopped on request (uWSGI's 30, "end_me"). */
    public static final int EXIT_END = 30;
}
