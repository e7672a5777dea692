package dev.imperium.cgi;

import dev.imperium.os.Posix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One running CGI script: a process in a session of its own ({@code setsid}, so a kill reaches what it started),
 * its standard error the worker's (the vassal log). Two virtual threads move its bytes: one writes what the request
 * thread hands it to the script's input, one reads the script's output into a small queue. The request thread alone
 * touches the exchange (the protocol layer's I/O is single-threaded): it reads the body and writes the response,
 * whichever the script is ready for ({@link #next}), so a script that answers while it reads a large body never
 * deadlocks against a full pipe.
 *
 * <p>A timer watches for progress (input taken, output given): after {@code timeout} without any, the run ends as
 * uWSGI's does ({@code CGI timeout !!!}): the script's process group is killed, unless
 * {@code cgi-do-not-kill-on-error}, and the request thread gets {@link Chunk.Kind#TIMEOUT}.
 */
final class CgiProcess implements AutoCloseable {
    /** Where util-linux's {@code setsid} is; without it scripts run in the worker's process group. */
    static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int CHUNK = 16384;
    private static final int INPUT_CHUNKS = 4;
    private static final int OUTPUT_CHUNKS = 8;
    private static final byte[] END_OF_INPUT = new byte[0];
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cgi-timeout");
        t.setDaemon(true);
        return t;
    });

    /** A piece of the script's output, or how it ended. */
    record Chunk(Kind kind, byte[] bytes, int length) {
        /** The kinds of chunk. */
        enum Kind {
            /** Output bytes. */
            DATA,
            /** The output ended. */
            END,
            /** Reading the output failed. */
            ERROR,
            /** The script made no progress for {@code cgi-timeout} seconds. */
            TIMEOUT
        }

        static final Chunk END = new Chunk(Kind.END, null, 0);
        static final Chunk ERROR = new Chunk(Kind.ERROR, null, 0);
        static final Chunk TIMEOUT = new Chunk(Kind.TIMEOUT, null, 0);
    }

    private final Process process;
    private final boolean ownGroup;
    private final boolean killOnError;
    private final long timeoutNanos;
    private final Runnable onTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> input = new ArrayDeque<>();
    private final ArrayDeque<Chunk> output = new ArrayDeque<>();
    private boolean inputClosed;
    private final Thread reader;
    private final Thread writer;
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
        this.writer = Thread.ofVirtual().name("cgi-stdin-" + process.pid()).unstarted(this::writeInput);
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
        ProcessBuilder builder = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(env);
        CgiProcess run = new CgiProcess(builder.start(), ownGroup, killOnError,
                TimeUnit.SECONDS.toNanos(timeoutSeconds), onTimeout);
        run.reader.start();
        run.writer.start();
        run.schedule(run.timeoutNanos);
        return run;
    }

    /** Returns the script's process id. */
    long pid() {
        return process.pid();
    }

    /**
     * Waits until the script has output to take or, when {@code wantInput}, room for more input.
     *
     * @param wantInput true while the request body has more to give
     * @return the next piece of output ({@link Chunk.Kind#END} when it ended, {@link Chunk.Kind#ERROR} when reading
     *     it failed, {@link Chunk.Kind#TIMEOUT}); or null when the script can take more input and there is no
     *     output waiting
     * @throws InterruptedException if the request thread is interrupted
     */
    Chunk next(boolean wantInput) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Chunk chunk = output.poll();
                if (chunk != null) {
                    changed.signalAll();
                    progress();
                    return chunk;
                }
                if (wantInput && !inputClosed && input.size() < INPUT_CHUNKS) {
                    return null;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns true if output is waiting to be taken (the client need not be flushed to yet). */
    boolean pending() {
        lock.lock();
        try {
            return !output.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Hands {@code length} bytes of {@code bytes} (copied) to the script's input; call after {@link #next} said so. */
    void input(byte[] bytes, int length) {
        progress();
        offerInput(Arrays.copyOf(bytes, length));
    }

    /** Ends the script's input: it reads end-of-file once it took what was handed. */
    void endInput() {
        offerInput(END_OF_INPUT);
    }

    private void offerInput(byte[] bytes) {
        lock.lock();
        try {
            if (!inputClosed) {
                input.add(bytes);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Kills the script and every process of its group, unless {@code cgi-do-not-kill-on-error}. */
    void killOnError() {
        if (killOnError) {
            List<ProcessHandle> descendants = process.descendants().toList();
            if (ownGroup) {
                Posix.kill(-process.pid(), Posix.SIGKILL);
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * Ends the run: stops the timer and both threads. A script still running is left to finish (it exits on its
     * own and the JDK reaps it) unless it was killed; closing its pipes ends its input and output.
     */
    @Override
    public void close() {
        done = true;
        ScheduledFuture<?> c = check;
        if (c != null) {
            c.cancel(false);
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        reader.interrupt();
        writer.interrupt();
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
        lock.lock();
        try {
            output.addFirst(Chunk.TIMEOUT);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        killOnError();
    }

    /** The writing thread: what the request thread hands over, to the script's input, then end-of-file. */
    private void writeInput() {
        OutputStream stdin = process.getOutputStream();
        try {
            while (true) {
                byte[] bytes;
                lock.lock();
                try {
                    while ((bytes = input.peek()) == null && !done) {
                        changed.await();
                    }
                } finally {
                    lock.unlock();
                }
                if (bytes == null || bytes == END_OF_INPUT) {
                    return;
                }
                stdin.write(bytes);
                stdin.flush();
                progress();
                lock.lock();
                try {
                    input.poll();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException | InterruptedException scriptStoppedReading) {
            // the script closed its input or exited: what it did not take is not wanted
        } finally {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the script closed its end first
            }
            lock.lock();
            try {
                inputClosed = true;
                input.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The reading thread: the script's output into the queue, until it ends or the run is over. */
    private void readOutput() {
        try (InputStream stdout = process.getInputStream()) {
            while (!done) {
                byte[] buffer = new byte[CHUNK];
                int n = stdout.read(buffer);
                if (n < 0) {
                    hand(Chunk.END, false);
                    return;
                }
                progress();
                if (n > 0 && !hand(new Chunk(Chunk.Kind.DATA, buffer, n), true)) {
                    return;
                }
            }
        } catch (IOException e) {
            hand(Chunk.ERROR, false);
        }
    }

    /** Queues a chunk, waiting for room when {@code bounded}; false if the run ended first. */
    private boolean hand(Chunk chunk, boolean bounded) {
        lock.lock();
        try {
            while (bounded && output.size() >= OUTPUT_CHUNKS && !done) {
                changed.await();
            }
            if (done) {
                return false;
            }
            output.add(chunk);
            changed.signalAll();
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
