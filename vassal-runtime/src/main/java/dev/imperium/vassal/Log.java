package dev.imperium.vassal;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes the vassal's log lines to standard error, as uWSGI does (its {@code uwsgi_log} writes to fd 2, which
 * {@code logto} redirects).
 *
 * <p>Each line is written with one call, so lines from concurrent threads never interleave. Line texts follow
 * uWSGI 2.0's wording where uWSGI logs the same event (see {@code uwsgi-measured.md} §6).
 */
public final class Log {
    /** uWSGI's timestamp format, that of C's {@code ctime()}: {@code Tue Nov 24 23:28:38 2026}. */
    public static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

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

    /** Returns the current local time in uWSGI's ctime format. */
    public static String now() {
        return CTIME.format(ZonedDateTime.now());
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
