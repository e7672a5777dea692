package dev.imperium.emperor;

import java.nio.file.Path;
import java.util.List;

/** Hand-made snapshots for the stats and metrics tests. */
final class Snapshots {
    static final Path DIR = Path.of("/srv/vassals");

    private Snapshots() {
    }

    /** A vassal running generation 2 for 100 s, with two earlier failures, reporting {@code json}. */
    static VassalSnapshot running(String name, String json) {
        long[] restarts = new long[RestartReason.values().length];
        restarts[RestartReason.EXIT.ordinal()] = 1;
        restarts[RestartReason.SIGNAL.ordinal()] = 1;
        return new VassalSnapshot(name, DIR.resolve(name), VassalState.RUNNING, false, 30321, 2, 3, 1, 0, restarts,
                0, 0, 1795432479, 1795432479, 0, true, true, true, 1795432482, 1795432482, 1795432482, 1795432481,
                1795432500, 0, 0, 0, 1795432500_000L, json == null ? 0 : 1795432598_500L,
                "was killed by signal 9 (SIGKILL)", 1795432499, json);
    }

    /** A vassal in its third failure in a row, waiting 2.5 s more of a 4 s backoff. */
    static VassalSnapshot failing(String name) {
        long[] restarts = new long[RestartReason.values().length];
        restarts[RestartReason.EXIT.ordinal()] = 3;
        return new VassalSnapshot(name, DIR.resolve(name), VassalState.BACKOFF, false, -1, 0, 3, 0, 3, restarts,
                4000, 2500, 1795432379, 1795432379, 0, false, false, false, 0, 0, 0, 1795432391, 1795432437, 0,
                1795432391, 1795432437, 0, 0, "exited with code 3; last FATAL: cannot load app: boom", 1795432437,
                null);
    }

    /** An emperor with these vassals. */
    static EmperorSnapshot emperor(VassalSnapshot... vassals) {
        return new EmperorSnapshot("0.1.0-SNAPSHOT", 29827, 0, 0, DIR.toString(), DIR, 1795432470_000L, 2, 0, 0,
                1795432600_000L, List.of(vassals));
    }
}
