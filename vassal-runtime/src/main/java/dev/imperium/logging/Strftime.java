package dev.imperium.logging;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

/**
 * C's {@code strftime(3)} in the POSIX ("C") locale, compiled once: the format of {@code log-date = FORMAT} and of
 * the request log's {@code %(ftime)} (uWSGI 2.0 passes these to libc's {@code strftime}, {@code core/logging.c}).
 *
 * <p>Conversions: {@code %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P %r %R %s %S %t %T %u
 * %U %V %w %W %x %X %y %Y %z %Z %%}; the {@code E} and {@code O} modifiers are ignored, as in the C locale. An
 * unknown conversion is copied as written, as glibc does. Immutable and thread-safe.
 */
public final class Strftime {
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};

    /** One piece of the format: literal text, or a conversion character. */
    private record Piece(String text, char conversion) {
    }

    private final String pattern;
    private final Piece[] pieces;

    private Strftime(String pattern, Piece[] pieces) {
        this.pattern = pattern;
        this.pieces = pieces;
    }

    /**
     * Compiles a format.
     *
     * @param pattern the {@code strftime} format, e.g. {@code %Y-%m-%d %H:%M:%S}
     * @return the compiled format
     */
    public static Strftime compile(String pattern) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                text.append(c);
                continue;
            }
            int j = i + 1;
            char conv = pattern.charAt(j);
            if ((conv == 'E' || conv == 'O') && j + 1 < pattern.length()) {
                conv = pattern.charAt(++j);
            }
            if (conv == '%') {
                text.append('%');
            } else if (conv == 'n') {
                text.append('\n');
            } else if (conv == 't') {
                text.append('\t');
            } else if ("aAbBcCdDeFgGhHIjklmMpPrRsSTuUVwWxXyYzZ".indexOf(conv) >= 0) {
                if (!text.isEmpty()) {
                    pieces.add(new Piece(text.toString(), '\0'));
                    text.setLength(0);
                }
                pieces.add(new Piece(null, conv));
            } else {
                text.append(pattern, i, j + 1);
            }
            i = j;
        }
        if (!text.isEmpty()) {
            pieces.add(new Piece(text.toString(), '\0'));
        }
        return new Strftime(pattern, pieces.toArray(new Piece[0]));
    }

    /** Returns the format as written. */
    public String pattern() {
        return pattern;
    }

    /**
     * Formats a time.
     *
     * @param t the time, in the zone to show
     * @return the text
     */
    public String format(ZonedDateTime t) {
        StringBuilder out = new StringBuilder(32);
        appendTo(out, t);
        return out.toString();
    }

    /** Appends the formatted time to {@code out}. */
    public void appendTo(StringBuilder out, ZonedDateTime t) {
        for (Piece p : pieces) {
            if (p.text != null) {
                out.append(p.text);
            } else {
                convert(out, p.conversion, t);
            }
        }
    }

    private static void convert(StringBuilder out, char c, ZonedDateTime t) {
        switch (c) {
            case 'a' -> out.append(DAYS[t.getDayOfWeek().ordinal()], 0, 3);
            case 'A' -> out.append(DAYS[t.getDayOfWeek().ordinal()]);
            case 'b', 'h' -> out.append(MONTHS[t.getMonthValue() - 1], 0, 3);
            case 'B' -> out.append(MONTHS[t.getMonthValue() - 1]);
            case 'c' -> { // the C locale's "%a %b %e %H:%M:%S %Y"
                convert(out, 'a', t);
                out.append(' ');
                convert(out, 'b', t);
                out.append(' ');
                convert(out, 'e', t);
                out.append(' ');
                convert(out, 'T', t);
                out.append(' ');
                convert(out, 'Y', t);
            }
            case 'C' -> pad(out, Math.floorDiv(t.getYear(), 100), 2, '0');
            case 'd' -> pad(out, t.getDayOfMonth(), 2, '0');
            case 'D', 'x' -> {
                pad(out, t.getMonthValue(), 2, '0');
                out.append('/');
                pad(out, t.getDayOfMonth(), 2, '0');
                out.append('/');
                pad(out, Math.floorMod(t.getYear(), 100), 2, '0');
            }
            case 'e' -> pad(out, t.getDayOfMonth(), 2, ' ');
            case 'F' -> {
                pad(out, t.getYear(), 4, '0');
                out.append('-');
                pad(out, t.getMonthValue(), 2, '0');
                out.append('-');
                pad(out, t.getDayOfMonth(), 2, '0');
            }
            case 'g' -> pad(out, Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0');
            case 'G' -> pad(out, t.get(IsoFields.WEEK_BASED_YEAR), 4, '0');
            case 'H' -> pad(out, t.getHour(), 2, '0');
            case 'I' -> pad(out, twelve(t.getHour()), 2, '0');
            case 'j' -> pad(out, t.getDayOfYear(), 3, '0');
            case 'k' -> pad(out, t.getHour(), 2, ' ');
            case 'l' -> pad(out, twelve(t.getHour()), 2, ' ');
            case 'm' -> pad(out, t.getMonthValue(), 2, '0');
            case 'M' -> pad(out, t.getMinute(), 2, '0');
            case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
            case 'P' -> out.append(t.getHour() < 12 ? "am" : "pm");
            case 'r' -> {
                pad(out, twelve(t.getHour()), 2, '0');
                out.append(':');
                pad(out, t.getMinute(), 2, '0');
                out.append(':');
                pad(out, t.getSecond(), 2, '0');
                out.append(' ').append(t.getHour() < 12 ? "AM" : "PM");
            }
            case 'R' -> {
                pad(out, t.getHour(), 2, '0');
                out.append(':');
                pad(out, t.getMinute(), 2, '0');
            }
            case 's' -> out.append(t.toEpochSecond());
            case 'S' -> pad(out, t.getSecond(), 2, '0');
            case 'T', 'X' -> {
                pad(out, t.getHour(), 2, '0');
                out.append(':');
                pad(out, t.getMinute(), 2, '0');
                out.append(':');
                pad(out, t.getSecond(), 2, '0');
            }
            case 'u' -> out.append(t.getDayOfWeek().getValue());
            case 'U' -> pad(out, (t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7, 2, '0');
            case 'V' -> pad(out, t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0');
            case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
            case 'W' -> pad(out, (t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7, 2, '0');
            case 'y' -> pad(out, Math.floorMod(t.getYear(), 100), 2, '0');
            case 'Y' -> out.append(t.getYear());
            case 'z' -> {
                int offset = t.get(ChronoField.OFFSET_SECONDS);
                out.append(offset < 0 ? '-' : '+');
                offset = Math.abs(offset) / 60;
                pad(out, offset / 60, 2, '0');
                pad(out, offset % 60, 2, '0');
            }
            case 'Z' -> out.append(zoneAbbreviation(t));
            default -> out.append('%').append(c);
        }
    }

    /** The zone's short name as {@code %Z} prints it ({@code UTC}, {@code CET}, ...). */
    private static String zoneAbbreviation(ZonedDateTime t) {
        java.time.ZoneId zone = t.getZone();
        if (zone instanceof java.time.ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : offset.getId();
        }
        boolean daylight = zone.getRules().isDaylightSavings(t.toInstant());
        return java.util.TimeZone.getTimeZone(zone).getDisplayName(daylight, java.util.TimeZone.SHORT,
                java.util.Locale.ROOT);
    }

    private static int twelve(int hour) {
        int h = hour % 12;
        return h == 0 ? 12 : h;
    }

    private static void pad(StringBuilder out, int value, int width, char fill) {
        String digits = Integer.toString(Math.abs(value));
        if (value < 0) {
            out.append('-');
        }
        for (int i = digits.length(); i < width; i++) {
            out.append(fill);
        }
        out.append(digits);
    }
}
