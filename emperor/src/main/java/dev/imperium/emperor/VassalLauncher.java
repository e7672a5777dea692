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
    }

    /**
     * Starts a vassal process without waiting for it; its stdout and stderr are copied to the emperor's.
     *
     * @param request what to run
     * @param callback told when the process runs or could not start
     */
    void launch(SpawnRequest request, Callback callback);
}
