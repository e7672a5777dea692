package dev.imperium.statics;

import dev.imperium.http.HttpFields;

import java.util.List;
import java.util.Locale;

/**
 * Which precompressed variants of a static file a client takes, from its {@code Accept-Encoding} (RFC 9110
 * §12.5.3). Pure and thread-safe.
 *
 * <p>The variants are {@code br} ({@code FILE.br}) and {@code gzip} ({@code FILE.gz}; {@code x-gzip} counts as
 * {@code gzip}, §8.4.1.3), as uWSGI 2.0.21 looks for them. A coding is acceptable when listed, or covered by
 * {@code *}, with a weight above 0: {@code gzip;q=0} refuses gzip (uWSGI only looks for the text "gzip" and would send
 * it). Acceptable codings are tried by weight, {@code br} first on a tie (as uWSGI, which prefers it). No field, or an
 * empty one, takes neither.
 */
public final class AcceptEncoding {
    /** Takes no precompressed variant. */
    public static final int NONE = 0;
    /** Bit set when {@code br} is acceptable. */
    public static final int BR = 1;
    /** Bit set when {@code gzip} is acceptable. */
    public static final int GZIP = 2;
    /** Set with {@link #BR} and {@link #GZIP} when gzip weighs more than br, so it is tried first. */
    public static final int GZIP_FIRST = 4;

    private AcceptEncoding() {
    }

    /**
     * Reads every {@code Accept-Encoding} line of a request.
     *
     * @return a set of {@link #BR}, {@link #GZIP} and {@link #GZIP_FIRST} bits, e.g. {@code BR | GZIP}
     */
    public static int of(HttpFields request) {
        List<String> lines = request.getAll("Accept-Encoding");
        if (lines.isEmpty()) {
            return NONE;
        }
        return parse(lines.size() == 1 ? lines.getFirst() : String.join(",", lines));
    }

    /**
     * Parses an {@code Accept-Encoding} value, e.g. {@code gzip, deflate, br;q=0.9}.
     *
     * @return a set of {@link #BR}, {@link #GZIP} and {@link #GZIP_FIRST} bits
     */
    static int parse(String value) {
        int br = -1;
        int gzip = -1;
        int star = -1;
        for (String member : value.split(",")) {
            int semi = member.indexOf(';');
            String coding = (semi < 0 ? member : member.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue;
            }
            int weight = semi < 0 ? 1000 : weight(member.substring(semi + 1));
            if (weight < 0) {
                continue;
            }
            switch (coding) {
                case "br" -> br = Math.max(br, weight);
                case "gzip", "x-gzip" -> gzip = Math.max(gzip, weight);
                case "*" -> star = Math.max(star, weight);
                default -> { }
            }
        }
        if (br < 0) {
            br = star;
        }
        if (gzip < 0) {
            gzip = star;
        }
        int set = (br > 0 ? BR : 0) | (gzip > 0 ? GZIP : 0);
        return set == (BR | GZIP) && gzip > br ? set | GZIP_FIRST : set;
    }

    /** Returns the codings to try, in order, as file suffixes ({@code .br}, {@code .gz}). */
    public static List<String> suffixes(int set) {
        boolean br = (set & BR) != 0;
        boolean gzip = (set & GZIP) != 0;
        if (br && gzip) {
            return (set & GZIP_FIRST) != 0 ? List.of(".gz", ".br") : List.of(".br", ".gz");
        }
        return br ? List.of(".br") : gzip ? List.of(".gz") : List.of();
    }

    /** Returns the {@code Content-Encoding} value for a variant suffix. */
    public static String coding(String suffix) {
        return ".br".equals(suffix) ? "br" : "gzip";
    }

    /**
     * Reads the parameters after a coding: the weight {@code q} in thousandths (RFC 9110 §12.4.2: {@code 0} to
     * {@code 1} with at most three decimals), 1000 when absent, -1 when malformed (the member is ignored).
     */
    private static int weight(String params) {
        for (String param : params.split(";")) {
            String p = param.strip();
            if (p.length() < 2 || Character.toLowerCase(p.charAt(0)) != 'q') {
                continue;
            }
            String rest = p.substring(1).stripLeading();
            if (!rest.startsWith("=")) {
                continue;
            }
            return qvalue(rest.substring(1).strip());
        }
        return 1000;
    }

    private static int qvalue(String q) {
        if (q.isEmpty() || q.length() > 5 || (q.charAt(0) != '0' && q.charAt(0) != '1')) {
            return -1;
        }
        int whole = q.charAt(0) - '0';
        if (q.length() == 1) {
            return whole * 1000;
        }
        if (q.charAt(1) != '.') {
            return -1;
        }
        int fraction = 0;
        int scale = 100;
        for (int i = 2; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            fraction += (c - '0') * scale;
            scale /= 10;
        }
        int value = whole * 1000 + fraction;
        return value > 1000 ? -1 : value;
    }
}
