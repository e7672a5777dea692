package dev.imperium.cli;

import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.VassalStatus;

/**
 * The text of {@code imperium status}: one row per vassal, like {@code supervisorctl status} —
 * vassal, state, pid, generation, workers busy/total, uptime, restarts, last error. Pure.
 */
final class StatusTable {
    private StatusTable() {
    }

    /**
     * Renders the table.
     *
     * @param status the emperor's answer
     * @param nowEpochSeconds the current time, for the age of the last error
     * @return the text, one line per vassal after a header, or a one-line note when there is no vassal
     */
    static String render(ControlReply.Status status, long nowEpochSeconds) {
        if (status.vassals().isEmpty()) {
            return "no vassals in " + status.emperor().vassalsDir() + "\n";
        }
        Table table = new Table(new String[] {"VASSAL", "STATE", "PID", "GEN", "WORKERS", "UPTIME", "RESTARTS",
            "LAST ERROR"}, false, false, true, true, true, true, true, false);
        for (VassalStatus v : status.vassals()) {
            table.row(v.name(), v.state().name(), v.pid() > 0 ? Long.toString(v.pid()) : null,
                    v.generation() > 0 ? Integer.toString(v.generation()) : null, workers(v),
                    v.uptimeSeconds() >= 0 ? Units.uptime(v.uptimeSeconds()) : null, Integer.toString(v.restarts()),
                    lastError(v, nowEpochSeconds));
        }
        return table.render();
    }

    /** Returns {@code busy/total} from the latest stats report, or null without one. */
    static String workers(VassalStatus v) {
        return v.workersTotal() >= 0 ? v.workersBusy() + "/" + v.workersTotal() : null;
    }

    private static String lastError(VassalStatus v, long now) {
        StringBuilder s = new StringBuilder();
        if (v.lastError() != null) {
            s.append(v.lastError());
            if (v.lastErrorEpochSeconds() > 0) {
                s.append(" (").append(Units.age(now - v.lastErrorEpochSeconds())).append(" ago)");
            }
        }
        if (v.backoffSeconds() >= 0) {
            s.append(s.isEmpty() ? "" : "; ").append("next attempt in ").append(Units.age(v.backoffSeconds()));
        }
        return s.isEmpty() ? null : s.toString();
    }
}
