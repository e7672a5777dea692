package dev.imperium.vassal;

import dev.imperium.logging.Ctime;
import dev.imperium.logging.LogDate;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * Writes the vassal's own log lines, as uWSGI's {@code uwsgi_log}: in a worker or router to standard error (a pipe
 * the master reads), in the master to the vassal's log ({@link VassalLogging}).
 *
 * <p>Each line is written with one call, so lines from concurrent threads never interleave. Line texts follow
 * uWSGI 2.0's wording where uWSGI logs the same event (see {@code uwsgi-measured.md} §6). {@code log-date} prefixes
 * them ({@link LogDate}).
 */
public final class Log {
    private static final ZoneId LOCAL = ZoneId.systemDefault();

    private static final PrintStream out = System.err;
    /** Where the master's lines go; null in workers and routers (standard error). */
    private static volatile Consumer<String> sink;
    private static volatile LogDate date = LogDate.OFF;

    private Log() {
    }

    /** Writes one line as is (after the {@code log-date} prefix, if any). */
    public static void line(String text) {
        write(date.prefix(System.currentTimeMillis()) + text);
    }

    /**
     * Writes one line prefixed with the current time as uWSGI's {@code uwsgi_log_verbose} does:
     * {@code Tue Nov 24 23:28:38 2026 - text}, or the {@code log-date} format's time.
     */
    public static void stamped(String text) {
        write(date.stamp(System.currentTimeMillis()) + text);
    }

    /** Writes a line and the stack trace of {@code error}, in one piece. */
    public static void error(String text, Throwable error) {
        StringWriter trace = new StringWriter(512);
        try (PrintWriter w = new PrintWriter(trace)) {
            error.printStackTrace(w);
        }
        String stack = trace.toString();
        if (stack.endsWith("\n")) {
            stack = stack.substring(0, stack.length() - 1);
        }
        write(date.prefix(System.currentTimeMillis()) + text + "\n" + stack);
    }

    private static void write(String text) {
        Consumer<String> s = sink;
        if (s != null) {
            s.accept(text);
        } else {
            out.println(text);
        }
    }

    /**
     * Formats an instant (epoch ms) in the local time zone, as {@link #ctime(LocalDateTime)}; the text of the last
     * second formatted is reused, so the request log formats a timestamp once per second, not per request.
     */
    static String ctime(long epochMillis) {
        return Ctime.of(epochMillis, LOCAL);
    }

    /** Returns the current local time in uWSGI's ctime format. */
    public static String now() {
        return ctime(LocalDateTime.now());
    }

    /**
     * Formats a time as C's {@code ctime()} does, uWSGI's log timestamp: {@code Tue Nov 24 23:28:38 2026}, the day
     * of the month padded with a space.
     */
    public static String ctime(LocalDateTime t) {
        return Ctime.format(t);
    }

    /** Sets the {@code log-date} prefix of this process's lines. */
    static void useDate(LogDate logDate) {
        date = logDate;
    }

    /**
     * Sends this process's lines to {@code lines} (the master's log) instead of standard error; null goes back to
     * standard error.
     */
    static void useSink(Consumer<String> lines) {
        sink = lines;
    }
}
