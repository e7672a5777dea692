package dev.imperium.vassal;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines the master logs for the FIFO's {@code s} and for SIGUSR1, after uWSGI 2.0's {@code stats()}: the
 * instance configuration as uWSGI prints it ({@code ;uWSGI instance configuration} ... {@code ;end of
 * configuration}), then one line per worker process. uWSGI's per-app request lines have no counterpart (its JVM
 * plugin registers no app); the request counters are in the stats server's document ({@link VassalStats}). Pure
 * formatting.
 */
final class MasterStats {
    /**
     * One worker process.
     *
     * @param id its slot (uWSGI's worker id)
     * @param pid its pid, 0 while it is being started
     * @param state {@code starting}, {@code accepting}, {@code stopping}
     * @param generation the generation it belongs to
     * @param ageSeconds how long it has run
     */
    record Worker(int id, long pid, String state, int generation, long ageSeconds) {
    }

    private static final String RULE = "-----------------";

    private MasterStats() {
    }

    /**
     * Returns the stats lines.
     *
     * @param config the config of the current generation
     * @param generation the current generation's number
     * @param status what the master is doing ({@code running}, {@code reloading}, ...)
     * @param paused whether the workers are paused (FIFO {@code p})
     * @param workers every worker process alive, in the order to print
     */
    static List<String> lines(VassalConfig config, int generation, String status, boolean paused,
            List<Worker> workers) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(";uWSGI instance configuration");
        lines.add("[uwsgi]");
        for (ConfigEntry e : config.entries()) {
            lines.add(e.key() + " = " + (e.value().isEmpty() ? "true" : e.value()));
        }
        lines.add(";end of configuration");
        lines.add("");
        lines.add("\tgeneration " + generation + " (" + status + (paused ? ", paused" : "") + "), "
                + workers.size() + " worker process(es)");
        lines.add(RULE);
        for (Worker w : workers) {
            lines.add("\tworker " + w.id() + " (pid: " + w.pid() + ") " + w.state() + ", generation " + w.generation()
                    + ", running for " + w.ageSeconds() + " second(s)");
        }
        lines.add(RULE);
        lines.add("");
        return lines;
    }
}
