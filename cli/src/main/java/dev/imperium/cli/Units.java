package dev.imperium.cli;

import java.util.Locale;

/** How {@code imperium} prints durations and sizes for people. */
final class Units {
    private Units() {
    }

    /** Returns an uptime as supervisorctl prints it, {@code H:MM:SS}, with days in front when there are any. */
    static String uptime(double seconds) {
        if (seconds < 0) {
            return "-";
        }
        long s = (long) seconds;
        long days = s / 86_400;
        String hms = String.format(Locale.ROOT, "%d:%02d:%02d", (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
        return days > 0 ? days + "d " + hms : hms;
    }

    /** Returns a short age or delay: {@code 12 s}, {@code 5 min}, {@code 3 h}, {@code 2 d}. */
    static String age(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        if (s < 172_800) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " d";
    }

    /** Returns a size in bytes with a binary unit, as top prints it: {@code 512}, {@code 11.1K}, {@code 104.0M}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        String[] units = {"K", "M", "G", "T"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    /** Returns a request time in microseconds for people: {@code 850us}, {@code 12ms}, {@code 1.5s}. */
    static String micros(long micros) {
        if (micros < 1000) {
            return micros + "us";
        }
        if (micros < 1_000_000) {
            return micros / 1000 + "ms";
        }
        return String.format(Locale.ROOT, "%.1fs", micros / 1e6);
    }
}
