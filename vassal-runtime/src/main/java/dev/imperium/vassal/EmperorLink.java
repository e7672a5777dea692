package dev.imperium.vassal;

import dev.imperium.control.ControlConnection;
import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.os.Posix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The vassal's end of the emperor's control channel (see {@link EmperorMessage}). Present only when the vassal was
 * started by an emperor, i.e. {@code IMPERIUM_EMPEROR_SOCKET} is set.
 */
final class EmperorLink {
    private final ControlConnection connection;
    /** Run right after each ACCEPTING is sent: the stats report that follows it. */
    private volatile Runnable afterAccepting = () -> { };

    private EmperorLink(ControlConnection connection) {
        this.connection = connection;
    }

    /**
     * Connects to the emperor named in the environment and says hello, or returns null when there is no emperor.
     *
     * @throws IOException if the emperor's socket cannot be reached
     */
    static EmperorLink connectIfManaged(Map<String, String> env) throws IOException {
        String socket = env.get(EmperorMessage.ENV_SOCKET);
        if (socket == null || socket.isEmpty()) {
            return null;
        }
        ControlConnection connection = ControlConnection.connect(Path.of(socket));
        connection.send(Frame.of(EmperorMessage.HELLO,
                env.getOrDefault(EmperorMessage.ENV_TOKEN, "") + " " + ProcessHandle.current().pid()));
        return new EmperorLink(connection);
    }

    /**
     * Ties this process to the emperor's life: a new session (so the emperor can kill the whole vassal as one
     * process group) and SIGKILL when the emperor dies. Exits if the emperor is already gone.
     */
    static void bindToEmperor(Map<String, String> env) {
        if (Posix.getpgid(0) != ProcessHandle.current().pid()) {
            Posix.setsid();
        }
        Posix.setParentDeathSignal(Posix.SIGKILL);
        String emperorPid = env.get(EmperorMessage.ENV_EMPEROR_PID);
        if (emperorPid != null && !emperorPid.isEmpty() && Posix.getppid() != Integer.parseInt(emperorPid)) {
            Log.line("my emperor (pid: " + emperorPid + ") is already gone, goodbye");
            System.exit(1);
        }
    }

    /** Starts reading the emperor's messages on a daemon thread. */
    void start(Consumer<Frame> onFrame, Runnable onLost) {
        connection.startReader("emperor-link", true, onFrame, onLost);
    }

    void spawned() {
        connection.trySend(Frame.of(EmperorMessage.SPAWNED));
    }

    void accepting(int generation) {
        connection.trySend(Frame.of(EmperorMessage.ACCEPTING, Integer.toString(generation)));
        afterAccepting.run();
    }

    /** Sets what runs right after each {@link #accepting}: the stats report a generation's start sends. */
    void afterAccepting(Runnable action) {
        afterAccepting = action;
    }

    /**
     * Sends the vassal's stats ({@link EmperorMessage#STATS_REPORT}).
     *
     * @param json the minified JSON, at most {@link Frame#MAX_PAYLOAD} bytes in UTF-8
     */
    void statsReport(byte[] json) {
        connection.trySend(new Frame(EmperorMessage.STATS_REPORT, json));
    }

    /** Tells the emperor this vassal is alive ({@link EmperorMessage#HEARTBEAT}; the {@code heartbeat} option). */
    void heartbeat() {
        connection.trySend(Frame.of(EmperorMessage.HEARTBEAT));
    }

    void loyal() {
        connection.trySend(Frame.of(EmperorMessage.LOYAL));
    }

    void reloadFailed(String reason) {
        connection.trySend(Frame.of(EmperorMessage.RELOAD_FAILED, oneLine(reason)));
    }

    /** Asks the emperor to stop this vassal (uWSGI's message 22: {@code die-on-idle}). */
    void askToStop() {
        connection.trySend(Frame.of(EmperorMessage.VOLUNTARY_SHUTDOWN));
    }

    /** Asks the emperor for a zerg (uWSGI's message 30, broodlord SOS; issue 7: broodlord). */
    void sos() {
        connection.trySend(Frame.of(EmperorMessage.BROODLORD_SOS));
    }

    void fatal(String reason) {
        connection.trySend(Frame.of(EmperorMessage.FATAL, oneLine(reason)));
    }

    void close() {
        connection.close();
    }

    private static String oneLine(String text) {
        String line = text.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 2000 ? line.substring(0, 2000) + "..." : line;
    }
}
