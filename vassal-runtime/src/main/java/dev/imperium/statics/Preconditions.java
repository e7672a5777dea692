package dev.imperium.statics;

import dev.imperium.http.HttpFields;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Conditional requests on a static file (RFC 9110 §13), evaluated in the order of §13.2.2. Pure and thread-safe.
 *
 * <ol>
 *   <li>{@code If-Match} (strong comparison) fails: 412;</li>
 *   <li>without {@code If-Match}, {@code If-Unmodified-Since} earlier than the modification time: 412;</li>
 *   <li>{@code If-None-Match} (weak comparison) matches: 304 for GET and HEAD;</li>
 *   <li>without {@code If-None-Match}, {@code If-Modified-Since} not earlier than the modification time: 304;</li>
 *   <li>then {@code Range}, honoured only when {@code If-Range} is absent or holds ({@link #ifRangeHolds}).</li>
 * </ol>
 *
 * <p>Dates compare in whole seconds (HTTP dates have no finer unit); a date that is not a valid HTTP-date, or a date
 * field given more than once, is ignored, as §13.1.3 and §13.1.4 require.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /** What the preconditions leave to do. */
    public enum Outcome {
        /** Send the file (or the ranges asked for). */
        SEND,
        /** Answer 304 Not Modified. */
        NOT_MODIFIED,
        /** Answer 412 Precondition Failed. */
        PRECONDITION_FAILED
    }

    /**
     * The validators of the file as it would be sent.
     *
     * @param etag the entity tag as sent (see {@link EntityTag#current}), perhaps weak
     * @param modifiedSecond the modification time in whole seconds since the epoch, as {@code Last-Modified} says
     */
    public record Validators(String etag, long modifiedSecond) {
    }

    /**
     * Evaluates {@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match} and {@code If-Modified-Since}.
     *
     * @param method the request method ({@code GET} or {@code HEAD} for static files)
     * @param request the request's fields
     * @param file the file's validators
     */
    public static Outcome evaluate(String method, HttpFields request, Validators file) {
        String ifMatch = joined(request, "If-Match");
        if (ifMatch != null) {
            if (!EntityTag.listMatches(ifMatch, file.etag(), true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            Optional<Instant> since = singleDate(request, "If-Unmodified-Since");
            if (since.isPresent() && file.modifiedSecond() > since.get().getEpochSecond()) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        boolean getOrHead = "GET".equals(method) || "HEAD".equals(method);
        String ifNoneMatch = joined(request, "If-None-Match");
        if (ifNoneMatch != null) {
            if (EntityTag.listMatches(ifNoneMatch, file.etag(), false)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead) {
            Optional<Instant> since = singleDate(request, "If-Modified-Since");
            if (since.isPresent() && file.modifiedSecond() <= since.get().getEpochSecond()) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.SEND;
    }

    /**
     * Evaluates {@code If-Range} (RFC 9110 §13.1.5): true (send the ranges) when the field is absent, or is a strong
     * entity tag equal to the file's strong tag, or is an HTTP-date equal to the modification time while the file's
     * tag is strong (a file modified within the last second has no strong validator); false (send the whole file)
     * otherwise, including for a weak tag or a malformed value.
     *
     * @param ifRange the field value, or null
     * @param file the file's validators
     */
    public static boolean ifRangeHolds(String ifRange, Validators file) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return EntityTag.isTag(value) && EntityTag.compare(value, file.etag(), true);
        }
        return !EntityTag.isWeak(file.etag())
                && HttpDate.parse(value).map(d -> d.getEpochSecond() == file.modifiedSecond()).orElse(false);
    }

    /** Returns the members of every line of a list field, joined with commas, or null if there is none. */
    private static String joined(HttpFields fields, String name) {
        List<String> all = fields.getAll(name);
        return switch (all.size()) {
            case 0 -> null;
            case 1 -> all.getFirst();
            default -> String.join(", ", all);
        };
    }

    /** Returns the date of a field sent exactly once with a valid HTTP-date; otherwise empty (ignored). */
    private static Optional<Instant> singleDate(HttpFields fields, String name) {
        List<String> all = fields.getAll(name);
        return all.size() == 1 ? HttpDate.parse(all.getFirst()) : Optional.empty();
    }
}
