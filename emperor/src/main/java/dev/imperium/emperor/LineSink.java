package dev.imperium.emperor;

import java.nio.charset.StandardCharsets;

/**
 * Where whole lines go: the emperor's own log lines and its vassals' output. Implementations write each line in
 * one piece (lines never interleave mid-line) and never block the caller for long.
 */
public interface LineSink {
    /**
     * Writes one line to standard output.
     *
     * @param line the line's bytes, without the line terminator
     */
    void out(byte[] line);

    /**
     * Writes one line to standard error.
     *
     * @param line the line's bytes, without the line terminator
     */
    void err(byte[] line);

    /**
     * Writes one of the emperor's own log lines. By default: {@code stamp + text} to standard output.
     *
     * @param stamp the {@code ctime} prefix ({@code "Mon Nov 23 11:14:53 2026 - "}), or "" for a plain line
     * @param text the line, without terminator
     */
    default void emperor(String stamp, String text) {
        out((stamp + text).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one line of a vassal's output. By default the line is tagged with the vassal's name,
     * {@code [app.ini] LINE}, and goes to the same stream as the vassal wrote it to; uWSGI's emperor copies vassal
     * output untagged, so that a shared log cannot tell vassals apart (uWSGI issue #997).
     *
     * @param vassal the vassal's name (its file name)
     * @param pid the vassal master's pid
     * @param err true if the vassal wrote it to its standard error
     * @param line the line's bytes, without the line terminator
     */
    default void vassal(String vassal, long pid, boolean err, byte[] line) {
        byte[] tag = ("[" + vassal + "] ").getBytes(StandardCharsets.UTF_8);
        byte[] tagged = new byte[tag.length + line.length];
        System.arraycopy(tag, 0, tagged, 0, tag.length);
        System.arraycopy(line, 0, tagged, tag.length, line.length);
        if (err) {
            err(tagged);
        } else {
            out(tagged);
        }
    }
}
