package dev.imperium.emperor;

import java.nio.file.Path;
import java.util.List;

/**
 * The emperor and its vassals at one instant, for the stats server and {@code /metrics}. Immutable.
 *
 * @param version Imperium's version
 * @param pid the emperor's pid
 * @param uid the emperor's user id
 * @param gid the emperor's group id
 * @param cwd the emperor's working directory
 * @param vassalDir the watched directory (absolute)
 * @param startedAtMillis when the emperor started, epoch ms
 * @param startConcurrency {@code --start-concurrency} (0: no limit)
 * @param starting vassals launched and not yet accepting (holding a start slot)
 * @param waiting vassals waiting for a start slot
 * @param takenAtMillis when the snapshot was taken, epoch ms
 * @param vassals every vassal, by name
 * @param monitor the monitor as given ({@code --emperor}: the directory, or a glob), uWSGI's {@code emperor}
 * @param tyrant whether tyrant mode is on (uWSGI's {@code emperor_tyrant})
 */
record EmperorSnapshot(String version, long pid, int uid, int gid, String cwd, Path vassalDir, long startedAtMillis,
                              int startConcurrency, int starting, int waiting, long takenAtMillis,
                              List<VassalSnapshot> vassals, String monitor, boolean tyrant) {
    /** Copies the list. */
    public EmperorSnapshot {
        vassals = List.copyOf(vassals);
    }

    /** A snapshot of a directory monitor without tyrant mode. */
    EmperorSnapshot(String version, long pid, int uid, int gid, String cwd, Path vassalDir, long startedAtMillis,
                    int startConcurrency, int starting, int waiting, long takenAtMillis, List<VassalSnapshot> vassals) {
        this(version, pid, uid, gid, cwd, vassalDir, startedAtMillis, startConcurrency, starting, waiting, takenAtMillis,
                vassals, vassalDir.toString(), false);
    }
}
