package dev.imperium.logging;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * C's {@code ctime(3)} format, uWSGI's log timestamp: {@code Tue Nov 24 23:28:38 2026}, the day of the month padded
 * with a space. Written out by hand: a {@code DateTimeFormatter} with text fields loads locale data, a noticeable
 * part of a vassal's start-up.
 */
public final class Ctime {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** The last second formatted: request log lines of one second share it. */
    private record Stamp(long second, ZoneId zone, String text) {
    }

    private static volatile Stamp last = new Stamp(Long.MIN_VALUE, null, "");

    private Ctime() {
    }

    /**
     * Formats an instant in a time zone; the text of the last second formatted is reused, so a request log formats a
     * timestamp once per second, not once per request.
     *
     * @param epochMillis the instant, in ms since the epoch
     * @param zone the time zone
     * @return the 24-character text
     */
    public static String of(long epochMillis, ZoneId zone) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Stamp stamp = last;
        if (stamp.second() != second || !zone.equals(stamp.zone())) {
            stamp = new Stamp(second, zone, format(LocalDateTime.ofInstant(Instant.ofEpochSecond(second), zone)));
            last = stamp;
        }
        return stamp.text();
    }

    /**
     * Formats a local time.
     *
     * @param t the time
     * @return the 24-character text
     */
    public static String format(LocalDateTime t) {
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
}
