package dev.imperium.emperor;

/**
 * The notifications the emperor sends to systemd (sd_notify(3): newline-separated {@code KEY=VALUE} assignments in
 * one datagram). The status texts are uWSGI's where uWSGI has one ({@code core/emperor.c}: "The Emperor is
 * governing N vassals", "The Emperor is buried."). Pure.
 */
final class NotifyMessages {
    private NotifyMessages() {
    }

    /**
     * The emperor is ready: it has scanned its vassal directory once and started (or queued) every vassal found.
     *
     * @param vassals how many vassals it governs
     * @return {@code READY=1} with the status
     */
    static String ready(int vassals) {
        return "READY=1\n" + status(vassals, false);
    }

    /**
     * The status line {@code systemctl status} shows.
     *
     * @param vassals how many vassals the emperor knows
     * @param stopping whether Ragnarok has begun (the vassals are being stopped)
     * @return {@code STATUS=The Emperor is governing N vassals}, or {@code STATUS=The Emperor is stopping N vassals}
     */
    static String status(int vassals, boolean stopping) {
        return "STATUS=The Emperor is " + (stopping ? "stopping " : "governing ") + vassals + " vassals";
    }

    /**
     * Ragnarok has begun: systemd shows the service as deactivating.
     *
     * @param vassals how many vassals are being stopped
     * @return {@code STOPPING=1} with the status
     */
    static String stopping(int vassals) {
        return "STOPPING=1\n" + status(vassals, true);
    }

    /** The last status, sent just before the emperor exits (uWSGI's words). */
    static String buried() {
        return "STATUS=The Emperor is buried.";
    }

    /** The watchdog ping. */
    static String watchdog() {
        return "WATCHDOG=1";
    }
}
