package dev.imperium.emperor;

import java.time.Duration;
import java.util.Objects;

/**
 * uWSGI's emperor options that shape how every vassal is run (issue 7, "emperor options"; uwsgi-features.md §1.2):
 * the extra config on each vassal's command line, the blacklist switch, the heartbeat tolerance and
 * {@code emperor-graceful-shutdown}. The throttle values themselves live in {@link EmperorSettings#backoff()}.
 *
 * @param arguments {@code vassals-include}, {@code vassals-inherit} (and their {@code -before} forms) and
 *     {@code vassal-set}
 * @param noBlacklist {@code emperor-no-blacklist}: a failed vassal is respawned at once every time, without backoff
 * @param requiredHeartbeat {@code emperor-required-heartbeat}: a vassal that sent a heartbeat and then none for this
 *     long is killed and respawned (uWSGI default 30 s); positive
 * @param gracefulShutdown {@code emperor-graceful-shutdown}: accepted; Imperium always stops vassals gracefully
 * @param tyrant {@code emperor-tyrant}: vassals run as their file's owner; {@link Tyrant#OFF} when not set
 * @param glob the glob the emperor watches instead of one directory ({@code --emperor '/srv/*&#47;vassal.ini'} or
 *     {@code glob://...}; uWSGI's glob monitor), relative to the vassal directory, which is then the emperor's
 *     working directory; null for a directory
 */
public record FleetOptions(VassalArguments arguments, boolean noBlacklist, Duration requiredHeartbeat,
                           boolean gracefulShutdown, Tyrant tyrant, String glob) {
    /** uWSGI's {@code emperor-required-heartbeat} default: 30 s. */
    public static final Duration DEFAULT_REQUIRED_HEARTBEAT = Duration.ofSeconds(30);
    /** uWSGI's defaults. */
    public static final FleetOptions DEFAULT = new FleetOptions(VassalArguments.NONE, false,
            DEFAULT_REQUIRED_HEARTBEAT, false, Tyrant.OFF, null);

    /** Options for a directory (no glob). */
    public FleetOptions(VassalArguments arguments, boolean noBlacklist, Duration requiredHeartbeat,
                        boolean gracefulShutdown, Tyrant tyrant) {
        this(arguments, noBlacklist, requiredHeartbeat, gracefulShutdown, tyrant, null);
    }

    /** Returns a copy watching {@code g} (null: the vassal directory). */
    public FleetOptions withGlob(String g) {
        return new FleetOptions(arguments, noBlacklist, requiredHeartbeat, gracefulShutdown, tyrant, g);
    }

    /** Checks the values. */
    public FleetOptions {
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(tyrant, "tyrant");
        if (requiredHeartbeat.isNegative() || requiredHeartbeat.isZero()) {
            throw new IllegalArgumentException("the required heartbeat must be positive: " + requiredHeartbeat);
        }
    }
}
