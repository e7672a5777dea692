package dev.imperium.statics;

import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Entity tags of static files (RFC 9110 §8.8.3) and their comparison (§8.8.3.2). Pure and thread-safe.
 *
 * <p>A file's tag is {@code "INODE-SIZE-MTIME"} (hexadecimal; the modification time in nanoseconds), so it changes
 * when the file is rewritten or replaced by another file (a deploy by rename), and each precompressed variant has its
 * own. It is strong, except while the file was modified less than {@link #WEAK_WINDOW_NANOS} ago: a second change
 * within the file system's clock tick could keep size and time, so the tag is then sent weak ({@code W/"..."}),
 * which {@code If-None-Match} still matches but {@code If-Range} and {@code If-Match} do not.
 */
public final class EntityTag {
    /** How recently modified a file gets a weak tag: one second, in nanoseconds. */
    public static final long WEAK_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private EntityTag() {
    }

    /**
     * Returns the strong tag of a file.
     *
     * @param inode the file's inode number (0 when unknown)
     * @param size its size in bytes
     * @param modified its modification time
     * @return e.g. {@code "2a1b-7-17a8c3e0b1c2d000"}, quotes included
     */
    public static String of(long inode, long size, FileTime modified) {
        return "\"" + Long.toHexString(inode) + '-' + Long.toHexString(size) + '-'
                + Long.toHexString(modified.to(TimeUnit.NANOSECONDS)) + '"';
    }

    /**
     * Returns the tag to send now: {@code strong} as it is, or weak while the file is very recently modified.
     *
     * @param strong the strong tag from {@link #of}
     * @param modified the file's modification time
     * @param now the current time
     */
    public static String current(String strong, FileTime modified, Instant now) {
        long age = now.getEpochSecond() * 1_000_000_000L + now.getNano() - modified.to(TimeUnit.NANOSECONDS);
        return age < WEAK_WINDOW_NANOS ? "W/" + strong : strong;
    }

    /** Returns true if the tag is weak ({@code W/"..."}). */
    public static boolean isWeak(String tag) {
        return tag.startsWith("W/");
    }

    /**
     * Returns true if a list of tags (the value of {@code If-Match} or {@code If-None-Match}, list members of several
     * field lines joined with commas) matches the current tag: {@code *} matches any, otherwise one member must
     * compare equal. A malformed member ends the list: it and the members after it match nothing.
     *
     * @param list the field value
     * @param current the current tag, as sent (perhaps weak)
     * @param strong true for the strong comparison (both tags strong and equal; {@code If-Match}, {@code If-Range}),
     *     false for the weak one (the opaque parts equal; {@code If-None-Match})
     */
    public static boolean listMatches(String list, String current, boolean strong) {
        String trimmed = list.strip();
        if (trimmed.equals("*")) {
            return true;
        }
        int i = 0;
        int n = list.length();
        while (i < n) {
            char c = list.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            int end = tagEnd(list, i);
            if (end < 0) {
                return false;
            }
            if (compare(list.substring(i, end), current, strong)) {
                return true;
            }
            i = end;
        }
        return false;
    }

    /**
     * Compares two tags.
     *
     * @param strong true for the strong comparison, false for the weak one
     */
    public static boolean compare(String a, String b, boolean strong) {
        if (strong) {
            return !isWeak(a) && !isWeak(b) && a.equals(b);
        }
        return opaque(a).equals(opaque(b));
    }

    /** Returns true if {@code value} is exactly one entity-tag (as in {@code If-Range}). */
    public static boolean isTag(String value) {
        return tagEnd(value, 0) == value.length();
    }

    private static String opaque(String tag) {
        return isWeak(tag) ? tag.substring(2) : tag;
    }

    /** Returns the end of the entity-tag starting at {@code start}, or -1 if none starts there. */
    private static int tagEnd(String s, int start) {
        int i = start;
        if (s.startsWith("W/", i)) {
            i += 2;
        }
        if (i >= s.length() || s.charAt(i) != '"') {
            return -1;
        }
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            // etagc: %x21 / %x23-7E / obs-text
            if (c < 0x21 || c == 0x7F) {
                return -1;
            }
        }
        return -1;
    }
}
