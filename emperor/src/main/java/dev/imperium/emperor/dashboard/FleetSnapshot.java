package dev.imperium.emperor.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * What the emperor knew at one instant: itself and every vassal, sorted by name.
 *
 * @param takenAtMillis when the snapshot was taken, in milliseconds since the epoch
 * @param emperorPid the emperor's process id
 * @param emperorStartedMillis when the emperor process started, in milliseconds since the epoch, or 0 if unknown
 * @param host the host's name
 * @param vassalDir the vassal directory the emperor watches
 * @param vassals one record per vassal file, sorted by name
 */
public record FleetSnapshot(long takenAtMillis, long emperorPid, long emperorStartedMillis, String host,
                            String vassalDir, List<VassalRow> vassals) {
    /** Checks and copies. */
    public FleetSnapshot {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(vassalDir, "vassalDir");
        vassals = List.copyOf(vassals);
    }
}
