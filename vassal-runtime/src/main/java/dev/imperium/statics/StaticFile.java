package dev.imperium.statics;

import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * What a response says about the file it sends: the fields and validators, whether the bytes come from the cache or
 * from the file system.
 *
 * @param realPath the real path of the file the request names (the uncompressed one when a variant is sent); what
 *     {@code static-expires} matches
 * @param servedPath the real path of the file whose bytes are sent ({@code FILE.gz} for a gzip variant)
 * @param size the length of the bytes sent, in bytes
 * @param modified the modification time of the file sent
 * @param lastModified {@code modified} as {@code Last-Modified} gives it (IMF-fixdate, whole seconds)
 * @param strongEtag its strong entity tag ({@link EntityTag#of})
 * @param contentType the {@code Content-Type}, from the request's file name, or null when the extension is unknown
 * @param contentEncoding {@code gzip} or {@code br} for a precompressed variant, else null
 * @param vary true when a variant could have been chosen ({@code Vary: Accept-Encoding})
 */
record StaticFile(String realPath, String servedPath, long size, FileTime modified, String lastModified,
        String strongEtag, String contentType, String contentEncoding, boolean vary) {

    /** Returns the modification time in whole seconds, as {@code Last-Modified} gives it. */
    long modifiedSecond() {
        return Math.floorDiv(modified.toMillis(), 1000);
    }

    /** Returns {@code modified} formatted for {@code Last-Modified}. */
    static String lastModified(FileTime modified) {
        return HttpDate.format(Instant.ofEpochSecond(Math.floorDiv(modified.toMillis(), 1000)));
    }
}
