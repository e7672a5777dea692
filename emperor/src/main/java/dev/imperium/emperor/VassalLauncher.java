package dev.imperium.emperor;

import java.io.IOException;

/**
 * The mechanism that starts vassal processes (the supervisor holds the policy). A launcher must fork from a thread
 * that lives as long as the child: the vassal's {@code PR_SET_PDEATHSIG} fires when that thread ends
 * (java-platform-notes.md §2c).
 */
public interface VassalLauncher {
    /** Told how a launch went; exactly one method is called, once, on a launcher thread. */
    interface Callback {
        /**
         * The process runs.
         *
         * @param process the child; its pid is the vassal's process group once it has called {@code setsid()}
         */
        void started(Process process);

        /**
         * The process could not be started (missing program, bad working directory...).
         *
         * @param error why
         */
        void failed(IOException error);

        /**
         * Issue 7: scale. The launcher tells the command it really runs for the vassal (a foreign vassal's program,
         * not {@code bin/vassal}), before {@link #started} or {@link #failed}; only launchers whose
         * {@link #describesSpawns()} is true call it.
         *
         * @param command the program and its arguments as run
         */
        default void spawning(java.util.List<String> command) {
        }
    }

    /**
     * Starts a vassal process without waiting for it; its stdout and stderr are copied to the emperor's.
     *
     * @param request what to run
     * @param callback told when the process runs or could not start
     */
    void launch(SpawnRequest request, Callback callback);

    /**
     * Issue 7: scale. Whether this launcher tells each spawn's true command through {@link Callback#spawning}
     * (then the supervisor logs {@code spawning vassal X: ...} from there, not from the request).
     */
    default boolean describesSpawns() {
        return false;
    }

    /**
     * Issue 7: scale. The supervisor forgot a vassal (its file is gone, it was stopped, the emperor stops): whatever
     * the launcher kept for its next start (a crashed command vassal's sockets) can go. Called on the emperor's loop;
     * must not block.
     *
     * @param name the vassal's name
     */
    default void vassalGone(String name) {
    }
}
