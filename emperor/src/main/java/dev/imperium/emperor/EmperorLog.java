package dev.imperium.emperor;

import dev.imperium.vassal.Log;

import java.time.Clock;
import java.time.LocalDateTime;

/**
 * Formats the emperor's log lines in uWSGI's words and hands them to a {@link LineSink} (stdout).
 *
 * <p>uWSGI has two kinds of lines (its {@code core/logging.c}): plain ones ({@code uwsgi_log}, e.g.
 * {@code *** starting uWSGI Emperor ***}) and "verbose" ones ({@code uwsgi_log_verbose}) that start with the
 * {@code ctime(3)} time and {@code " - "}, e.g. {@code Mon Nov 23 11:14:53 2026 - [emperor] vassal app.ini has
 * been spawned}. The exact lines are listed in uwsgi-measured.md §6; lines uWSGI does not have are Imperium's own
 * and use the same {@code [emperor]} stamped form.
 */
public final class EmperorLog {
    /** {@code ctime(3)}: "Www Mmm dd hh:mm:ss yyyy", the day padded with a space. */

    private final LineSink sink;
    private final Clock clock;

    /**
     * Creates a log writing to {@code sink}'s stdout, stamped with {@code clock}'s local time.
     *
     * @param sink where lines go
     * @param clock the wall clock and time zone of the stamps
     */
    public EmperorLog(LineSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Returns the uWSGI verbose-line prefix for now, e.g. {@code "Mon Nov 23 11:14:53 2026 - "}.
     *
     * @param clock the wall clock and time zone
     * @return the prefix, ending in {@code " - "}
     */
    public static String timestamp(Clock clock) {
        return Log.ctime(LocalDateTime.now(clock)) + " - ";
    }

    /**
     * Logs a line as is, like uWSGI's {@code uwsgi_log}.
     *
     * @param text the line, without terminator
     */
    public void line(String text) {
        sink.emperor("", text);
    }

    /**
     * Logs a line after the ctime stamp, like uWSGI's {@code uwsgi_log_verbose}.
     *
     * @param text the line, without terminator
     */
    public void stamped(String text) {
        sink.emperor(timestamp(clock), text);
    }

    /**
     * Logs {@code "[emperor] " + text} after the ctime stamp: the form of every uWSGI emperor event line.
     *
     * @param text the message, without terminator
     */
    public void emperor(String text) {
        stamped("[emperor] " + text);
    }
}
