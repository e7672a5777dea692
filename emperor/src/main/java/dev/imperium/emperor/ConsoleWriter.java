package dev.imperium.emperor;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emperor's single writer to its stdout and stderr: callers enqueue whole lines, one thread writes them.
 *
 * <p>Lines never interleave mid-line, and neither the event loop nor a vassal's output pump ever waits on a slow
 * terminal or pipe: the queue is bounded ({@code capacity} lines) and a line that does not fit is dropped and
 * counted; the writer reports how many it dropped as soon as it catches up. uWSGI's emperor, by contrast, writes
 * its log synchronously.
 */
public final class ConsoleWriter implements LineSink, AutoCloseable {
    private record Line(boolean err, byte[] bytes) {
    }

    private static final Line STOP = new Line(false, new byte[0]);

    private final BlockingQueue<Line> queue;
    private final OutputStream out;
    private final OutputStream err;
    private final AtomicLong dropped = new AtomicLong();
    /** Issue 8: resource limits. Writes to stdout and stderr that failed (a full disk). */
    private final dev.imperium.logging.WriteFailures outFailures = new dev.imperium.logging.WriteFailures(
            "emperor log (stdout)");
    private final dev.imperium.logging.WriteFailures errFailures = new dev.imperium.logging.WriteFailures(
            "emperor log (stderr)");
    private final Thread thread;
    /** Formats the writer's own notices; by default uWSGI's stamped {@code [emperor]} line. */
    private volatile java.util.function.Function<String, byte[]> notices = text ->
            (EmperorLog.timestamp(java.time.Clock.systemDefaultZone()) + text).getBytes(StandardCharsets.UTF_8);

    /**
     * Creates a writer on the process's own stdout and stderr, bypassing {@link System#out}.
     *
     * @param capacity how many lines may wait; more are dropped
     */
    public ConsoleWriter(int capacity) {
        this(capacity, new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
    }

    /**
     * Creates a writer on the given streams.
     *
     * @param capacity how many lines may wait; more are dropped
     * @param out where {@link #out} lines go
     * @param err where {@link #err} lines go
     */
    public ConsoleWriter(int capacity, OutputStream out, OutputStream err) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = out;
        this.err = err;
        this.thread = new Thread(this::run, "imperium-console");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void out(byte[] line) {
        offer(new Line(false, line));
    }

    @Override
    public void err(byte[] line) {
        offer(new Line(true, line));
    }

    private void offer(Line line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Sets how the writer's own notices (lines dropped) are written, e.g. as JSON ({@code --log-format json}).
     *
     * @param format turns the notice's text into the line's bytes
     */
    public void formatNotices(java.util.function.Function<String, byte[]> format) {
        this.notices = format;
    }

    /** Returns how many lines were dropped so far because the output was too slow. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<Line> batch = new ArrayList<>();
        long reportedDrops = 0;
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch);
                boolean outDirty = false;
                boolean errDirty = false;
                for (Line line : batch) {
                    if (line == STOP) {
                        flush(outDirty, errDirty);
                        return;
                    }
                    OutputStream target = line.err ? err : out;
                    write(target, line.bytes);
                    outDirty |= !line.err;
                    errDirty |= line.err;
                }
                long drops = dropped.get();
                if (drops != reportedDrops) {
                    write(out, notices.apply("[emperor] " + (drops - reportedDrops)
                            + " output lines dropped: stdout/stderr too slow"));
                    reportedDrops = drops;
                    outDirty = true;
                }
                flush(outDirty, errDirty);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(OutputStream target, byte[] bytes) {
        byte[] line = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, line, 0, bytes.length);
        line[bytes.length] = '\n';
        // Issue 8: resource limits. A full disk under a redirected stdout: said once (on the other stream, and in
        // the log itself once it can be written again), the lines in between are counted, not retried
        boolean isErr = target == err;
        dev.imperium.logging.WriteFailures failures = isErr ? errFailures : outFailures;
        long now = System.currentTimeMillis();
        if (failures.failing()) {
            String note = failures.recoveryNote(now).orElseThrow();
            byte[] noteBytes = notices.apply("[emperor] " + note);
            try {
                if (failures.cutLine()) {
                    target.write('\n');
                }
                target.write(noteBytes);
                target.write('\n');
                failures.recovered();
            } catch (IOException e) {
                failures.failed(e, 1, line.length, false, now);
                return;
            }
        }
        try {
            target.write(line);
        } catch (IOException e) {
            // stdout closed or its disk full: report once where it may still be read, keep draining
            failures.failed(e, 1, line.length, false, now).ifPresent(first -> {
                try {
                    (isErr ? out : err).write(notices.apply("[emperor] " + first));
                    (isErr ? out : err).write('\n');
                } catch (IOException ignored) {
                    // both gone: the note follows in the log once it can be written again
                }
            });
        }
    }

    private void flush(boolean outDirty, boolean errDirty) {
        try {
            if (outDirty) {
                out.flush();
            }
            if (errDirty) {
                err.flush();
            }
        } catch (IOException e) {
            // ignore
        }
    }

    /**
     * Writes what is queued, then stops the writer thread; waits at most {@code timeoutMillis} ms.
     *
     * @param timeoutMillis the longest wait, in milliseconds
     */
    public void close(long timeoutMillis) {
        try {
            if (queue.offer(STOP, timeoutMillis, TimeUnit.MILLISECONDS)) {
                thread.join(timeoutMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued (waiting up to 2 s), then stops the writer thread. */
    @Override
    public void close() {
        close(2000);
    }
}
