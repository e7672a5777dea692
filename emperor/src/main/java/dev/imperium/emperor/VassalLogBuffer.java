package dev.imperium.emperor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tail of one vassal's output (stdout and stderr, every incarnation of it) that the emperor keeps for
 * {@code imperium logs}: at most {@link #MAX_LINES} lines and {@link #MAX_BYTES} bytes; older lines are dropped.
 * Each line gets a sequence number (1, 2, ...) so that a follower can ask for what came after the last line it saw
 * and learn how many it missed.
 *
 * <p>Thread-safe: the pump threads append, client connections read and wait. This is the buffer's own lock; it
 * guards none of the supervisor's state.
 */
final class VassalLogBuffer {
    /** The most lines kept per vassal. */
    static final int MAX_LINES = 1000;
    /** The most bytes kept per vassal. */
    static final int MAX_BYTES = 256 * 1024;

    /**
     * One kept line.
     *
     * @param seq its number in this buffer, from 1
     * @param stderr true if it came on standard error
     * @param bytes the line as the vassal wrote it, without terminator
     */
    record Line(long seq, boolean stderr, byte[] bytes) {
    }

    /**
     * Lines read from the buffer.
     *
     * @param lines the lines, oldest first
     * @param skipped how many lines asked for were already dropped (older than the oldest kept)
     */
    record Slice(List<Line> lines, long skipped) {
    }

    private final int maxLines;
    private final int maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private long bytes;
    private long lastSeq;
    private boolean retired;

    /** Creates a buffer with the default bounds. */
    VassalLogBuffer() {
        this(MAX_LINES, MAX_BYTES);
    }

    VassalLogBuffer(int maxLines, int maxBytes) {
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a line, dropping the oldest ones beyond the bounds, and wakes the followers.
     *
     * @param stderr whether it came on standard error
     * @param line the bytes, without terminator
     */
    void append(boolean stderr, byte[] line) {
        lock.lock();
        try {
            lines.addLast(new Line(++lastSeq, stderr, line));
            bytes += line.length;
            while (lines.size() > maxLines || (bytes > maxBytes && lines.size() > 1)) {
                bytes -= lines.removeFirst().bytes().length;
            }
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the last {@code count} lines kept.
     *
     * @param count how many; negative for all
     * @return the lines, and in {@link Slice#skipped()} how many older lines were dropped before them
     */
    Slice tail(int count) {
        lock.lock();
        try {
            int n = count < 0 ? lines.size() : Math.min(count, lines.size());
            List<Line> out = new ArrayList<>(lines).subList(lines.size() - n, lines.size());
            long first = out.isEmpty() ? lastSeq + 1 : out.getFirst().seq();
            return new Slice(List.copyOf(out), first - 1);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the lines after {@code seq}, waiting up to {@code timeoutMillis} for one if there is none yet.
     *
     * @param seq the last line seen (0 for none)
     * @param timeoutMillis how long to wait for a new line
     * @return the newer lines (perhaps none) and how many newer lines were already dropped
     * @throws InterruptedException if interrupted while waiting
     */
    Slice after(long seq, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (lastSeq <= seq && !retired) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Slice(List.of(), 0);
                }
                grown.awaitNanos(left);
            }
            List<Line> out = new ArrayList<>();
            for (Line line : lines) {
                if (line.seq() > seq) {
                    out.add(line);
                }
            }
            long first = out.isEmpty() ? lastSeq + 1 : out.getFirst().seq();
            return new Slice(out, Math.max(0, first - seq - 1));
        } finally {
            lock.unlock();
        }
    }

    /** Returns the number of the newest line (0 when none came yet). */
    long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the buffer as no longer used for its vassal (it was removed); wakes the followers. */
    void retire() {
        lock.lock();
        try {
            retired = true;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether {@link #retire()} was called. */
    boolean retired() {
        lock.lock();
        try {
            return retired;
        } finally {
            lock.unlock();
        }
    }
}
