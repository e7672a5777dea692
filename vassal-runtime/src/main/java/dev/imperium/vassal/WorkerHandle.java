package dev.imperium.vassal;

import java.nio.file.Path;

import dev.imperium.control.ControlConnection;
import dev.imperium.control.Frame;

/**
 * The master's record of one worker process. Touched only on the master's event-loop thread.
 */
final class WorkerHandle {
    /** Where a worker is in its life. */
    enum State {
        /** Process started, app not yet loaded. */
        STARTING,
        /** Accepting connections. */
        ACCEPTING,
        /** Told to stop (gracefully or not), not yet exited. */
        STOPPING,
        /** Exited. */
        DEAD
    }

    final int id;
    final Generation generation;
    final String token;
    final long spawnedAtNanos = System.nanoTime();
    Process process;
    long pid;
    ControlConnection connection;
    State state = State.STARTING;
    long stopRequestedAtNanos;
    String fatalReason;
    /** Its request slots, read for harakiri; null when {@code harakiri} is off. */
    Scoreboard scoreboard;
    Path scoreboardFile;
    /** Set when it retires itself after max-requests; its replacement is already started. */
    boolean recycling;
    /** The harakiri attempts made on it (1 after the first signal, 2 after the SIGKILL of a graceful harakiri). */
    int harakiriTries;
    /** When the SIGKILL after a graceful harakiri attempt is due (epoch ms), else 0. */
    long harakiriNextMillis;
    /** Set when cheaper or idle stops it for good: its slot stays empty until more workers are needed. */
    boolean cheaped;

    WorkerHandle(int id, Generation generation, String token) {
        this.id = id;
        this.generation = generation;
        this.token = token;
    }

    boolean alive() {
        return state != State.DEAD;
    }

    void send(Frame frame) {
        ControlConnection c = connection;
        if (c != null) {
            c.trySend(frame);
        }
    }

    @Override
    public String toString() {
        return "worker " + id + " (pid: " + pid + ")";
    }
}
