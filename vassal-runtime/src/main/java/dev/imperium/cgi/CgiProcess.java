package dev.imperium.cgi;

import dev.imperium.os.Posix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running CGI script: a process in a session of its own ({@code setsid}, so a kill reaches what it started),
 * its standard error the worker's (the vassal log), its input fed from the request body, its output read by a
 * virtual thread into a small queue the request thread takes from.
 *
 * <p>The request thread alone touches the exchange (the protocol layer's I/O is single-threaded): it feeds the body,
 * then takes the output; the reading thread keeps the script's output flowing meanwhile, so a script that answers
 * while it reads a large body does not deadlock against a full pipe (up to the queue's 128 KiB and the pipe's).
 *
 * <p>A timer watches for progress (input taken, output given): after {@code timeout} without any, the run ends as
 * uWSGI's does ({@code CGI timeout !!!}): the script's process group is killed, unless
 * {@code cgi-do-not-kill-on-error}, and the request thread gets {@link Chunk.Kind#TIMEOUT}.
 */
final class CgiProcess implements AutoCloseable {
    /** Where util-linux's {@code setsid} is; without it scripts run in the worker's process group. */
    static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int CHUNK = 16384;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cgi-timeout");
        t.setDaemon(true);
        return t;
    });

    /** What the reading thread hands the request thread. */
    record Chunk(Kind kind, byte[] bytes, int length) {
        /** The kinds of chunk. */
        enum Kind { DATA, END, ERROR, TIMEOUT }

        static final Chunk END = new Chunk(Kind.END, null, 0);
        static final Chunk ERROR = new Chunk(Kind.ERROR, null, 0);
        static final Chunk TIMEOUT = new Chunk(Kind.TIMEOUT, null, 0);
    }

    private final Process process;
    private final boolean ownGroup;
    private final boolean killOnError;
    private final long timeoutNanos;
    private final Runnable onTimeout;
    private final BlockingQueue<Chunk> output = new ArrayBlockingQueue<>(8);
    private final Thread reader;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean done;
    private volatile ScheduledFuture<?> check;

    private CgiProcess(Process process, boolean ownGroup, boolean killOnError, long timeoutNanos,
            Runnable onTimeout) {
        this.process = process;
        this.ownGroup = ownGroup;
        this.killOnError = killOnError;
        this.timeoutNanos = timeoutNanos;
        this.onTimeout = onTimeout;
        this.reader = Thread.ofVirtual().name("cgi-stdout-" + process.pid()).unstarted(this::readOutput);
    }

    /**
     * Starts a script.
     *
     * @param command the program and its arguments
     * @param env the whole environment
     * @param directory where it runs, or null for the worker's directory
     * @param timeoutSeconds how long it may go without progress
     * @param killOnError whether a timeout or a failure kills it
     * @param onTimeout run once, on the timer's thread, when the timeout strikes (logs it)
     * @return the running script
     * @throws IOException if the program cannot be started
     */
    static CgiProcess start(List<String> command, Map<String, String> env, Path directory, int timeoutSeconds,
            boolean killOnError, Runnable onTimeout) throws IOException {
        boolean ownGroup = Files.isExecutable(SETSID);
        List<String> full = new ArrayList<>(command.size() + 1);
        if (ownGroup) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(env);
        CgiProcess run = new CgiProcess(builder.start(), ownGroup, killOnError,
                TimeUnit.SECONDS.toNanos(timeoutSeconds), onTimeout);
        run.reader.start();
        run.schedule(run.timeoutNanos);
        return run;
    }

    /** Returns the script's process id. */
    long pid() {
        return process.pid();
    }

    /**
     * Feeds the request body to the script's standard input, then closes it (the script sees end-of-file). A script
     * that stops reading (closes its input or exits) ends the feeding quietly; the unread rest stays with the
     * protocol layer, which drains it.
     *
     * @param body the request body
     * @throws IOException if reading the body failed: the client went away or was too slow
     */
    void feed(InputStream body) throws IOException {
        OutputStream stdin = process.getOutputStream();
        byte[] buffer = new byte[CHUNK];
        try {
            int n;
            while ((n = body.read(buffer)) > 0) {
                progress();
                try {
                    stdin.write(buffer, 0, n);
                    stdin.flush();
                } catch (IOException scriptStoppedReading) {
                    return;
                }
                progress();
            }
        } finally {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the script closed its end first
            }
        }
    }

    /**
     * Takes the next piece of the script's output, waiting for it.
     *
     * @return data, {@link Chunk#END} when the output ended, {@link Chunk#ERROR} when reading it failed, or
     *     {@link Chunk#TIMEOUT}
     * @throws InterruptedException if the request thread is interrupted
     */
    Chunk next() throws InterruptedException {
        Chunk chunk = output.take();
        progress();
        return chunk;
    }

    /** Returns true if output is waiting to be taken (the client need not be flushed to yet). */
    boolean pending() {
        return !output.isEmpty();
    }

    /** Kills the script and every process of its group, unless {@code cgi-do-not-kill-on-error}. */
    void killOnError() {
        if (killOnError) {
            kill();
        }
    }

    private void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (ownGroup) {
            Posix.kill(-process.pid(), Posix.SIGKILL);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Ends the run: stops the timer and the reading thread and closes the pipes. A script that is still running is
     * left to finish (it exits on its own; the JDK reaps it) unless it was killed.
     */
    @Override
    public void close() {
        done = true;
        ScheduledFuture<?> c = check;
        if (c != null) {
            c.cancel(false);
        }
        reader.interrupt();
        closeQuietly(process.getOutputStream());
        output.clear();
    }

    private void progress() {
        lastProgress = System.nanoTime();
    }

    private void schedule(long delayNanos) {
        if (!done) {
            check = TIMER.schedule(this::checkProgress, Math.max(delayNanos, 1_000_000L), TimeUnit.NANOSECONDS);
        }
    }

    private void checkProgress() {
        if (done) {
            return;
        }
        long idle = System.nanoTime() - lastProgress;
        if (idle < timeoutNanos) {
            schedule(timeoutNanos - idle);
            return;
        }
        onTimeout.run();
        killOnError();
        while (!output.offer(Chunk.TIMEOUT)) {
            output.poll();
        }
    }

    /** The reading thread: the script's output into the queue, until it ends or the run is over. */
    private void readOutput() {
        try (InputStream stdout = process.getInputStream()) {
            while (!done) {
                byte[] buffer = new byte[CHUNK];
                int n = stdout.read(buffer);
                if (n < 0) {
                    hand(Chunk.END);
                    return;
                }
                progress();
                if (n > 0 && !hand(new Chunk(Chunk.Kind.DATA, buffer, n))) {
                    return;
                }
            }
        } catch (IOException e) {
            hand(Chunk.ERROR);
        }
    }

    private boolean hand(Chunk chunk) {
        try {
            while (!done) {
                if (output.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            // the run is over
        }
        return false;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
