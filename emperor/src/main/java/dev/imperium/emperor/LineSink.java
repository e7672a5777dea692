package dev.imperium.emperor;

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
}
