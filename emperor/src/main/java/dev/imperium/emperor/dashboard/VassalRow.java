package dev.imperium.emperor.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * One vassal as the emperor sees it, at the instant of a {@link FleetSnapshot}: one row of the fleet page. A null component is not known:
 * there is no process, the vassal has not accepted requests yet, or it has not sent a stats report.
 *
 * @param name the vassal file's name, e.g. {@code app.ini}
 * @param state the emperor's state for it: a {@code VassalState} name, e.g. {@code RUNNING}, {@code BACKOFF}
 * @param waiting whether it waits for a start slot ({@code --start-concurrency}): decided, not launched yet
 * @param pid the vassal master's process id, or null without a process
 * @param generation the generation of workers accepting requests (1 after the first start, +1 per reload), or
 *     null before the first accepts
 * @param restarts how many of its processes failed and were (or will be) started again
 * @param failures consecutive failures counted for the backoff (0 after a stable run)
 * @param backoffMillis in the backoff state, milliseconds until the next attempt; else null
 * @param uptimeMillis milliseconds since the current process was launched, or null without a process
 * @param workersBusy workers busy with a request, from the vassal's last stats report, or null
 * @param workersTotal workers running (cheaped ones excluded), from the vassal's last stats report, or null
 * @param requestsTotal requests served since the vassal master started, from its last stats report, or null
 * @param lastError the last error the emperor saw for it, or null if none
 */
public record VassalRow(String name, String state, boolean waiting, Long pid, Integer generation, int restarts, int failures,
                           Long backoffMillis, Long uptimeMillis, Integer workersBusy, Integer workersTotal,
                           Long requestsTotal, Problem lastError) {
    /** Checks the required components. */
    public VassalRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    /**
     * An error the emperor saw: a fatal error the vassal reported, a refused reload, a start timeout, an exit.
     *
     * @param message one line, in the words of the emperor's log
     * @param atMillis when it happened, in milliseconds since the epoch
     * @param log the vassal's last output lines, oldest first (empty when none are kept)
     */
    public record Problem(String message, long atMillis, List<String> log) {
        /** Checks and copies. */
        public Problem {
            Objects.requireNonNull(message, "message");
            log = List.copyOf(log);
        }
    }
}
