package dev.imperium.statics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Range} request field (RFC 9110 §14.1.2) and what it asks of a representation of a known length
 * (§14.2): the whole of it, some byte ranges of it, or nothing it has. Pure and thread-safe.
 *
 * <p>Rules: the unit is {@code bytes} (any case); any other unit, a syntax error, a range whose last position is
 * below its first, or more than {@link #MAX_RANGES} ranges make the field ignored (200 with the whole file, as RFC
 * 9110 §14.2 allows). Ranges starting at or after the end, and {@code -0}, are unsatisfiable; if every range is,
 * the answer is 416. A last position past the end is cut to the end; a suffix longer than the representation means
 * all of it. Ranges that overlap or lie less than {@link #COALESCE_GAP} bytes apart are merged (§14.6 allows it; it
 * bounds the response to the file's size plus part headers, whatever the request); the others keep the order they
 * were asked in (§15.3.7.2). A representation of length 0 has no ranges: the field is ignored.
 */
public final class ByteRanges {
    /** The most range-specs a field may hold before it is ignored as abusive (RFC 9110 §14.2). */
    public static final int MAX_RANGES = 64;
    /** Ranges closer than this many bytes are sent as one: about the size of a multipart part's own head. */
    public static final long COALESCE_GAP = 80;

    private ByteRanges() {
    }

    /**
     * One range-spec as written.
     *
     * @param first the first-pos, or -1 for a suffix range
     * @param last the last-pos, or -1 when absent ({@code 500-}); for a suffix range, the suffix-length
     */
    record Spec(long first, long last) {
    }

    /**
     * A satisfiable range, both ends inclusive, inside the representation.
     *
     * @param first the first byte's offset
     * @param last the last byte's offset, at least {@code first}
     */
    public record Range(long first, long last) {
        /** Returns the number of bytes in the range. */
        public long length() {
            return last - first + 1;
        }
    }

    /** What to answer. */
    public sealed interface Decision {
    }

    /** Ignore the field: send the whole representation with 200. */
    public record Whole() implements Decision {
    }

    /** Send these ranges with 206: one range as a single part, several as {@code multipart/byteranges}. */
    public record Partial(List<Range> ranges) implements Decision {
        /** Copies the list; it must hold at least one range. */
        public Partial {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("no range");
            }
        }
    }

    /** No range overlaps the representation: answer 416 with {@code Content-Range: bytes *}{@code /LENGTH}. */
    public record Unsatisfiable() implements Decision {
    }

    private static final Whole WHOLE = new Whole();
    private static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    /**
     * Decides what a {@code Range} field value asks of a representation.
     *
     * @param field the field value, e.g. {@code bytes=0-499, -500}; null means no field
     * @param length the representation's length in bytes
     * @return the decision; never null
     */
    public static Decision evaluate(String field, long length) {
        if (field == null || length <= 0) {
            return WHOLE;
        }
        Optional<List<Spec>> parsed = parse(field);
        if (parsed.isEmpty() || parsed.get().size() > MAX_RANGES) {
            return WHOLE;
        }
        List<Range> satisfiable = new ArrayList<>();
        for (Spec spec : parsed.get()) {
            if (spec.first() < 0) {
                long suffix = spec.last();
                if (suffix > 0) {
                    satisfiable.add(new Range(Math.max(0, length - suffix), length - 1));
                }
            } else if (spec.first() < length) {
                long last = spec.last() < 0 ? length - 1 : Math.min(spec.last(), length - 1);
                satisfiable.add(new Range(spec.first(), last));
            }
        }
        if (satisfiable.isEmpty()) {
            return UNSATISFIABLE;
        }
        return new Partial(coalesce(satisfiable));
    }

    /**
     * Parses a {@code Range} field value in the {@code bytes} unit (RFC 9110 §14.1.2): {@code bytes=} then a
     * comma-separated list (empty members and OWS around commas allowed) of {@code first-last}, {@code first-} and
     * {@code -suffix}, each digits only. Numbers too large for a {@code long} are taken as {@link Long#MAX_VALUE}.
     *
     * @param field the field value
     * @return the specs in order, or empty if the value is not a valid {@code bytes} range set (including a
     *     {@code first-last} whose last is below its first, which makes the whole set invalid)
     */
    static Optional<List<Spec>> parse(String field) {
        String value = strip(field);
        int eq = value.indexOf('=');
        if (eq != 5 || !value.regionMatches(true, 0, "bytes", 0, 5)) {
            return Optional.empty();
        }
        List<Spec> specs = new ArrayList<>();
        int i = eq + 1;
        int n = value.length();
        while (true) {
            int comma = value.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            String member = strip(value.substring(i, end));
            if (!member.isEmpty()) {
                Spec spec = spec(member);
                if (spec == null) {
                    return Optional.empty();
                }
                specs.add(spec);
                if (specs.size() > MAX_RANGES) {
                    break;
                }
            }
            if (comma < 0) {
                break;
            }
            i = comma + 1;
        }
        return specs.isEmpty() ? Optional.empty() : Optional.of(specs);
    }

    /** Parses one range-spec, or returns null. */
    private static Spec spec(String member) {
        int dash = member.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String left = member.substring(0, dash);
        String right = member.substring(dash + 1);
        if (left.isEmpty()) {
            long suffix = digits(right);
            return suffix < 0 ? null : new Spec(-1, suffix);
        }
        long first = digits(left);
        if (first < 0) {
            return null;
        }
        if (right.isEmpty()) {
            return new Spec(first, -1);
        }
        long last = digits(right);
        if (last < 0 || last < first) {
            return null;
        }
        return new Spec(first, last);
    }

    /** Returns the value of a non-empty run of ASCII digits (saturating at Long.MAX_VALUE), or -1. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int d = c - '0';
            value = value > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : value * 10 + d;
        }
        return value;
    }

    /** Removes leading and trailing OWS (spaces and tabs). */
    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /**
     * Merges ranges that overlap or lie less than {@link #COALESCE_GAP} bytes apart; each merged range takes the place
     * of its earliest-requested member, the others keep their order.
     */
    private static List<Range> coalesce(List<Range> ranges) {
        if (ranges.size() == 1) {
            return ranges;
        }
        record Indexed(Range range, int index) {
        }
        List<Indexed> sorted = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            sorted.add(new Indexed(ranges.get(i), i));
        }
        sorted.sort(Comparator.comparingLong((Indexed r) -> r.range().first()));
        List<Indexed> merged = new ArrayList<>();
        Indexed current = sorted.getFirst();
        for (int i = 1; i < sorted.size(); i++) {
            Indexed next = sorted.get(i);
            if (next.range().first() - current.range().last() <= COALESCE_GAP) {
                current = new Indexed(new Range(current.range().first(),
                        Math.max(current.range().last(), next.range().last())),
                        Math.min(current.index(), next.index()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        merged.sort(Comparator.comparingInt(Indexed::index));
        return merged.stream().map(Indexed::range).toList();
    }
}
