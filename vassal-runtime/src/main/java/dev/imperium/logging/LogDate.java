package dev.imperium.logging;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * uWSGI's {@code log-date} ({@code logdate}, and {@code log-prefix}, which uWSGI 2.0 handles the same way): the
 * prefix of the vassal's own log lines ({@code uwsgi_log} and {@code uwsgi_log_verbose} in {@code core/logging.c}).
 *
 * <ul>
 *   <li>off (the default): plain lines have no prefix; "verbose" lines (uWSGI's {@code uwsgi_log_verbose}, e.g.
 *       {@code *** PAUSE ***}) start with the {@code ctime} time and {@code " - "};</li>
 *   <li>{@code log-date} (bare, or {@code true/1/yes/on}): every line starts with the {@code ctime} time and
 *       {@code " - "};</li>
 *   <li>{@code log-date = FORMAT}: every line, verbose ones too, starts with {@code strftime(FORMAT)} and
 *       {@code " - "} (in an ini file write {@code %%Y} for {@code %Y}).</li>
 * </ul>
 * Request log lines and what apps print are not prefixed, as in uWSGI. Immutable and thread-safe.
 */
public final class LogDate {
    /** No {@code log-date}. */
    public static final LogDate OFF = new LogDate(false, null, ZoneId.systemDefault());

    private final boolean enabled;
    private final Strftime format;
    private final ZoneId zone;
    private volatile Stamp last = new Stamp(Long.MIN_VALUE, "");

    private record Stamp(long second, String prefix) {
    }

    private LogDate(boolean enabled, Strftime format, ZoneId zone) {
        this.enabled = enabled;
        this.format = format;
        this.zone = zone;
    }

    /**
     * Reads a {@code log-date} value.
     *
     * @param value the option's value, or null when it is not set
     * @return the setting
     */
    public static LogDate parse(String value) {
        return parse(value, ZoneId.systemDefault());
    }

    /** As {@link #parse(String)}, in {@code zone}. */
    static LogDate parse(String value, ZoneId zone) {
        if (value == null) {
            return OFF;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes", "on" -> new LogDate(true, null, zone);
            case "false", "0", "no", "off" -> OFF;
            default -> new LogDate(true, Strftime.compile(value), zone);
        };
    }

    /** Returns the {@code strftime} format, or null (ctime). */
    public Strftime format() {
        return format;
    }

    /** Returns true if plain lines get a prefix. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Returns the prefix of a plain line logged at {@code epochMillis}: "" when off.
     *
     * @param epochMillis now, in ms since the epoch
     * @return the prefix, ending in {@code " - "}, or ""
     */
    public String prefix(long epochMillis) {
        return enabled ? stamp(epochMillis) : "";
    }

    /**
     * Returns the prefix of a verbose line logged at {@code epochMillis}: always a time.
     *
     * @param epochMillis now, in ms since the epoch
     * @return the prefix, ending in {@code " - "}
     */
    public String stamp(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Stamp s = last;
        if (s.second() != second) {
            String time = format == null ? Ctime.of(epochMillis, zone)
                    : format.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), zone));
            s = new Stamp(second, time + " - ");
            last = s;
        }
        return s.prefix();
    }
}
