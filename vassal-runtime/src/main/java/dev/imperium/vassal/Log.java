package dev.imperium.vassal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Writes the vassal's log lines to standard error, as uWSGI does (its {@code uwsgi_log} writes to fd 2, which
 * {@code logto} redirects).
 *
 * <p>Each line is written with one call, so lines from concurrent threads never interleave. Line texts follow
 * uWSGI 2.0's wording where uWSGI logs the same event (see {@code uwsgi-measured.md} §6).
 */
public final class Log {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private static volatile PrintStream out = System.err;

    private Log() {
    }

    /** Writes one line as is. */
    public static void line(String text) {
        out.println(text);
    }

    /** Writes one line prefixed with the current time as uWSGI does: {@code Tue Nov 24 23:28:38 2026 - text}. */
    public static void stamped(String text) {
        out.println(now() + " - " + text);
    }

    /** The last second formatted by {@link #ctime(long)}: request log lines share it. */
    private record Stamp(long second, String text) {
    }

    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    /**
     * Formats an instant (epoch ms) in the local time zone, as {@link #ctime(LocalDateTime)}; the text of the last
     * second formatted is reused, so the request log formats a timestamp once per second, not per request.
     */
    static String ctime(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Stamp stamp = lastStamp;
        if (stamp.second() != second) {
            LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneId.systemDefault());
            stamp = new Stamp(second, ctime(local));
            lastStamp = stamp;
        }
        return stamp.text();
    }

    /** Returns the current local time in uWSGI's ctime format. */
    public static String now() {
        return ctime(LocalDateTime.now());
    }

    /**
     * Formats a time as C's {@code ctime()} does, uWSGI's log timestamp: {@code Tue Nov 24 23:28:38 2026}, the day
     * of the month padded with a space. Written out by hand: a {@code DateTimeFormatter} with text fields loads
     * locale data, a noticeable part of a vassal's start-up.
     */
    public static String ctime(LocalDateTime t) {
        StringBuilder out = new StringBuilder(24);
        out.append(DAYS[t.getDayOfWeek().ordinal()]).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int day = t.getDayOfMonth();
        out.append(day < 10 ? " " : "").append(day).append(' ');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond()).append(' ').append(t.getYear());
        return out.toString();
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** Writes a line and the stack trace of {@code error}. */
    public static void error(String text, Throwable error) {
        synchronized (out) {
            out.println(text);
            error.printStackTrace(out);
        }
    }

    /** Points the log at the current {@code System.err} again (after {@code logto} replaced fd 2). */
    static void reopen() {
        out = System.err;
    }
}
