package dev.imperium.emperor;

/**
 * A settled change in the vassal directory, as reported by {@link VassalWatcher}: each file is reported when it
 * appears, each time its {@link FileStamp} changes, and when it disappears; never twice for the same stamp.
 *
 * @param kind what happened
 * @param name the vassal file name (no directory part), e.g. {@code "app.ini"}
 * @param stamp the file's stamp now; {@code null} for {@link Kind#REMOVED}
 * @param firstEventNanos {@link System#nanoTime()} of the first watcher event or scan that led to this change,
 *     to measure how long settling took
 */
public record VassalFileChange(Kind kind, String name, FileStamp stamp, long firstEventNanos) {
    /** What happened to the file. */
    public enum Kind {
        /** A vassal file appeared (or was there when the emperor started). */
        ADDED,
        /** Its mtime, size or inode changed: touch, edit, rename over it. */
        CHANGED,
        /** It is gone (deleted or renamed away). */
        REMOVED
    }
}
