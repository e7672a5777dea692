package dev.imperium.vassal;

import dev.imperium.os.Posix;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker's channel for request log lines: the worker's standard output, which the master reads apart from its
 * standard error ({@link VassalLogging}), so that request lines can go to a {@code req-logger} and the master passes
 * them on without looking at each one.
 *
 * <p>{@link #claim()}, first thing in the worker, opens the pipe again for this class ({@code /proc/self/fd/1}), then
 * points fd 1 at standard error: whatever else the JVM, the app or a library prints to standard output joins the
 * worker's other output, so only request lines travel on the pipe. Each line is one write, under a lock: lines never
 * mix, whatever their length.
 */
final class RequestPipe {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile OutputStream pipe;

    private RequestPipe() {
    }

    /**
     * Takes standard output for request lines, when it is a pipe (the master's). Otherwise (no {@code /proc}, or
     * started by hand), request lines go to standard error with the worker's other lines.
     */
    static void claim() {
        try {
            if (!java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString()
                    .startsWith("pipe:")) {
                return; // not started by a master that reads it: request lines go to standard error
            }
            OutputStream out = new FileOutputStream("/proc/self/fd/1", true);
            System.out.flush();
            if (Posix.dup2(2, 1) < 0) {
                out.close();
                return;
            }
            pipe = out;
        } catch (IOException | RuntimeException e) {
            pipe = null;
        }
    }

    /**
     * Writes one request line.
     *
     * @param line the line, without a line break
     */
    static void write(String line) {
        OutputStream out = pipe;
        if (out == null) {
            System.err.println(line);
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        LOCK.lock();
        try {
            out.write(bytes);
        } catch (IOException e) {
            // the master is gone: the worker follows it shortly
        } finally {
            LOCK.unlock();
        }
    }
}
