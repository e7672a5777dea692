package dev.imperium.statics;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP dates (RFC 9110 §5.6.7): formats the preferred IMF-fixdate and parses all three forms a recipient must
 * accept. The day-of-week name is checked for form but not against the date. Thread-safe.
 */
public final class HttpDate {
    /** IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}: fixed width, two-digit day. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final Pattern IMF = Pattern.compile(
            "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) " + MONTH + " (\\d{4}) " + TIME + " GMT");
    /** Obsolete RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
    private static final Pattern RFC_850 = Pattern.compile(
            "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME
                    + " GMT");
    /** Obsolete asctime: {@code Sun Nov  6 08:49:37 1994} (the day is padded with a space). */
    private static final Pattern ASCTIME = Pattern.compile(
            "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) " + MONTH + " ([ \\d]\\d) " + TIME + " (\\d{4})");

    private HttpDate() {
    }

    /**
     * Formats a time as IMF-fixdate (RFC 9110 §5.6.7), truncated to whole seconds.
     *
     * @param time the time to format
     * @return e.g. {@code Tue, 02 Jan 2024 03:04:05 GMT}
     */
    public static String format(Instant time) {
        return IMF_FIXDATE.format(time);
    }

    /**
     * Parses an HTTP date in IMF-fixdate, RFC 850 or asctime form (RFC 9110 §5.6.7). A two-digit RFC 850 year that
     * would be more than 50 years in the future is taken as the previous century, as the RFC requires.
     *
     * @param value the field value, e.g. of {@code If-Modified-Since}; may be null
     * @return the time, or empty if the value is not a valid HTTP date (the caller then ignores the field)
     */
    public static Optional<Instant> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.strip();
        try {
            Matcher m = IMF.matcher(text);
            if (m.matches()) {
                return Optional.of(at(num(m, 3), m.group(2), num(m, 1), m, 4));
            }
            m = RFC_850.matcher(text);
            if (m.matches()) {
                return Optional.of(at(fullYear(num(m, 3)), m.group(2), num(m, 1), m, 4));
            }
            m = ASCTIME.matcher(text);
            if (m.matches()) {
                return Optional.of(at(Integer.parseInt(m.group(6)), m.group(1), Integer.parseInt(m.group(2).strip()),
                        m, 3));
            }
        } catch (DateTimeException invalidDate) {
            // e.g. 31 Feb or 25:00:00: not a valid date
        }
        return Optional.empty();
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static Instant at(int year, String month, int day, Matcher m, int firstTimeGroup) {
        return LocalDateTime.of(year, MONTHS.indexOf(month) + 1, day, num(m, firstTimeGroup),
                num(m, firstTimeGroup + 1), num(m, firstTimeGroup + 2)).toInstant(ZoneOffset.UTC);
    }

    private static int fullYear(int twoDigits) {
        int thisYear = ZonedDateTime.now(ZoneOffset.UTC).getYear();
        int year = thisYear - thisYear % 100 + twoDigits;
        return year > thisYear + 50 ? year - 100 : year;
    }
}
