package dev.imperium.statics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code Expires} of a static file, from uWSGI's {@code static-expires*} options (uwsgi-docs StaticFiles.html
 * "Setting the Expires headers"; uWSGI 2.0 {@code core/static.c}). Immutable and thread-safe.
 *
 * <p>Rules are tried in uWSGI's order: {@code static-expires} (a regular expression found in the file's real path),
 * {@code static-expires-path-info} ({@code PATH_INFO}), {@code static-expires-uri} ({@code REQUEST_URI}, query
 * included), {@code static-expires-type} (the exact {@code Content-Type}); within each, the rules counting from now
 * before their {@code -mtime} forms, which count from the file's modification time; each list in config order. The
 * first rule that applies gives the one {@code Expires} field (uWSGI adds one field per kind that matches, so a file
 * can get several contradicting ones). The regular expressions are Java's ({@link Pattern}), which read uWSGI's PCRE
 * patterns the same way except for PCRE-only constructs.
 *
 * @param byFile {@code static-expires} and {@code static-expires-mtime}, in that order
 * @param byPathInfo {@code static-expires-path-info} and {@code static-expires-path-info-mtime}
 * @param byUri {@code static-expires-uri} and {@code static-expires-uri-mtime}
 * @param byType {@code static-expires-type} and {@code static-expires-type-mtime}
 */
public record ExpiresRules(List<Rule> byFile, List<Rule> byPathInfo, List<Rule> byUri, List<Rule> byType) {
    /** No rule: no {@code Expires} field. */
    public static final ExpiresRules NONE = new ExpiresRules(List.of(), List.of(), List.of(), List.of());

    /**
     * One rule.
     *
     * @param pattern the regular expression, or null for a {@code -type} rule
     * @param mimeType the content type of a {@code -type} rule, or null
     * @param seconds how long after the base time the file expires
     * @param fromModification true for the {@code -mtime} forms (base: the file's modification time), false for now
     */
    public record Rule(Pattern pattern, String mimeType, long seconds, boolean fromModification) {
    }

    /** Copies the lists. */
    public ExpiresRules {
        byFile = List.copyOf(byFile);
        byPathInfo = List.copyOf(byPathInfo);
        byUri = List.copyOf(byUri);
        byType = List.copyOf(byType);
    }

    /** Returns true if there is no rule. */
    public boolean isEmpty() {
        return byFile.isEmpty() && byPathInfo.isEmpty() && byUri.isEmpty() && byType.isEmpty();
    }

    /**
     * Returns when the file expires, if a rule applies.
     *
     * @param realPath the file's real path (the uncompressed file's, also when a {@code .gz} variant is sent)
     * @param pathInfo the request's decoded path ({@code PATH_INFO})
     * @param requestUri the request-target as received ({@code REQUEST_URI})
     * @param mimeType the {@code Content-Type} sent, or null when none
     * @param modifiedSecond the file's modification time, epoch seconds
     * @param nowSecond the current time, epoch seconds
     * @return the expiry time, epoch seconds, or empty
     */
    public Optional<Long> expires(String realPath, String pathInfo, String requestUri, String mimeType,
            long modifiedSecond, long nowSecond) {
        Rule rule = firstMatch(byFile, realPath);
        if (rule == null) {
            rule = firstMatch(byPathInfo, pathInfo);
        }
        if (rule == null) {
            rule = firstMatch(byUri, requestUri);
        }
        if (rule == null && mimeType != null) {
            for (Rule r : byType) {
                if (r.mimeType().equals(mimeType)) {
                    rule = r;
                    break;
                }
            }
        }
        if (rule == null) {
            return Optional.empty();
        }
        long base = rule.fromModification() ? modifiedSecond : nowSecond;
        return Optional.of(base + rule.seconds());
    }

    private static Rule firstMatch(List<Rule> rules, String subject) {
        for (Rule rule : rules) {
            if (rule.pattern().matcher(subject).find()) {
                return rule;
            }
        }
        return null;
    }

    /**
     * Parses a {@code static-expires}, {@code -uri} or {@code -path-info} value: {@code REGEXP SECONDS}, split at the
     * first space as uWSGI splits it (so the expression cannot hold a space; use {@code \s} or {@code \x20}).
     *
     * @throws IllegalArgumentException naming the problem if the value has no space, the expression does not compile
     *     or the seconds are not a whole number
     */
    public static Rule parsePatternRule(String option, String value, boolean fromModification) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("option '" + option + "' needs REGEXP SECONDS, got '" + value + "'");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(v.substring(0, space));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("option '" + option + "': invalid regular expression '"
                    + v.substring(0, space) + "': " + e.getDescription(), e);
        }
        return new Rule(pattern, null, seconds(option, value, v.substring(space + 1).strip()), fromModification);
    }

    /**
     * Parses a {@code static-expires-type} value: {@code MIME/TYPE=SECONDS}.
     *
     * @throws IllegalArgumentException if there is no {@code =} or the seconds are not a whole number
     */
    public static Rule parseTypeRule(String option, String value, boolean fromModification) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("option '" + option + "' needs MIME/TYPE=SECONDS, got '" + value + "'");
        }
        return new Rule(null, value.substring(0, eq).strip(), seconds(option, value, value.substring(eq + 1).strip()),
                fromModification);
    }

    private static long seconds(String option, String value, String digits) {
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("option '" + option + "' needs a whole number of seconds, got '"
                    + value + "'");
        }
        return Long.parseLong(digits);
    }

    /** Formats an expiry time for the {@code Expires} field (IMF-fixdate). */
    public static String format(long epochSecond) {
        return HttpDate.format(Instant.ofEpochSecond(epochSecond));
    }
}
