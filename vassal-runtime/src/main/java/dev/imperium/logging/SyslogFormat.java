package dev.imperium.logging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Frames one log line as a datagram for a syslog daemon or a socket logger. Pure: text in, bytes out.
 *
 * <ul>
 *   <li>{@link Style#RFC3164_LOCAL}: what glibc's {@code syslog(3)} sends to {@code /dev/log}, as uWSGI's
 *       {@code syslog} logger calls it: {@code <30>Nov 25 07:50:48 uwsgi: MESSAGE} (RFC 3164 §4.1 without the
 *       HOSTNAME, which the local daemon adds);</li>
 *   <li>{@link Style#RFC3164}: uWSGI's {@code rsyslog} logger: {@code <29>Nov 25 07:50:48 HOSTNAME uwsgi: MESSAGE}
 *       (its PREFIX is {@code HOSTNAME uwsgi} unless given);</li>
 *   <li>{@link Style#RFC5424}: RFC 5424 §6: {@code <30>1 2026-11-25T07:50:48.123456+01:00 HOSTNAME APP PID - -
 *       MESSAGE}, the timestamp with microseconds and the UTC offset, no structured data;</li>
 *   <li>{@link Style#RAW}: the line alone (uWSGI's {@code socket} logger).</li>
 * </ul>
 * A trailing line break is dropped; a datagram longer than the framing's limit is cut there (uWSGI's rsyslog sends
 * packets of up to 1024 bytes, RFC 3164 §4.1).
 */
public final class SyslogFormat {
    /** The longest datagram sent to {@code /dev/log} or a socket logger, in bytes. */
    public static final int LOCAL_MAX = 64 * 1024;
    /** The longest RFC 3164 packet (§4.1), uWSGI's {@code rsyslog-packet-size} default. */
    public static final int RFC3164_MAX = 1024;
    /** The longest RFC 5424 message over UDP that every receiver should take (RFC 5426 §3.2). */
    public static final int RFC5424_UDP_MAX = 2048;

    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    /** How a line is framed. */
    public enum Style {
        RFC3164_LOCAL, RFC3164, RFC5424, RAW
    }

    /**
     * A framing.
     *
     * @param style the style
     * @param pri the PRI value, facility * 8 + severity (RFC 5424 §6.2.1)
     * @param hostname RFC 5424's HOSTNAME, or null
     * @param tag RFC 3164's TAG (uWSGI's ident or prefix), RFC 5424's APP-NAME
     * @param maxBytes the longest datagram
     */
    public record Framing(Style style, int pri, String hostname, String tag, int maxBytes) {
    }

    private SyslogFormat() {
    }

    /**
     * Frames one line.
     *
     * @param framing how
     * @param line the line, with or without its line break
     * @param epochMillis when it was logged
     * @param zone the local time zone
     * @param pid the pid of the process that logged it (RFC 5424's PROCID)
     * @return the datagram
     */
    public static byte[] frame(Framing framing, String line, long epochMillis, ZoneId zone, long pid) {
        String message = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        String head = switch (framing.style()) {
            case RAW -> "";
            case RFC3164_LOCAL, RFC3164 -> "<" + framing.pri() + ">" + rfc3164Time(epochMillis, zone) + " "
                    + framing.tag() + ": ";
            case RFC5424 -> "<" + framing.pri() + ">1 " + RFC3339.format(OffsetDateTime.ofInstant(
                    Instant.ofEpochMilli(epochMillis), zone)) + " " + field(framing.hostname(), 255) + " "
                    + field(framing.tag(), 48) + " " + pid + " - - ";
        };
        byte[] bytes = (head + message).getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= framing.maxBytes()) {
            return bytes;
        }
        return java.util.Arrays.copyOf(bytes, framing.maxBytes());
    }

    /** RFC 3164's TIMESTAMP: {@code Mmm dd hh:mm:ss}, the day padded with a space. */
    static String rfc3164Time(long epochMillis, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
        StringBuilder out = new StringBuilder(15).append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int day = t.getDayOfMonth();
        out.append(day < 10 ? " " : "").append(day).append(' ');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond());
        return out.toString();
    }

    /** An RFC 5424 header field: printable US-ASCII without spaces, at most {@code max} characters, "-" if empty. */
    static String field(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c > 32 && c < 127 ? c : '_');
        }
        return out.toString();
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
