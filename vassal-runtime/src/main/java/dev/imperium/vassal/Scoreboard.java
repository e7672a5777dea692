package dev.imperium.vassal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What each core (request slot, uWSGI's {@code threads}) of one worker is doing, in a small memory-mapped file that the
 * worker writes and its master reads: the start of the request in flight and a short description of it. This is the
 * part of uWSGI's shared-memory scoreboard that {@code harakiri} needs (uWSGI 2.0 {@code core/master_checks.c}): the
 * master sees a stuck request without any message from the stuck worker, and writing a slot costs the worker no
 * system call.
 *
 * <p>Layout: one {@value #SLOT}-byte slot per core: the request's start (epoch ms, 0 when the core is idle), the
 * length of the description, then its bytes ({@code "ADDR - METHOD URI"}, ISO-8859-1, cut at
 * {@value #TEXT_MAX} bytes), and in the slot's last 8 bytes when the core's last request ended (epoch ms, 0 before
 * the first: what {@code idle} needs). The start is written last with release semantics and read first with acquire
 * semantics; a description read while the worker moves on to the next request may mix the two, which only a log line
 * shows.
 */
final class Scoreboard implements AutoCloseable {
    /** Bytes per core. */
    static final int SLOT = 256;
    private static final int TEXT_AT = 10;
    private static final int END_AT = SLOT - 8;
    private static final int TEXT_MAX = END_AT - TEXT_AT;
    private static final VarHandle START = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena;
    private final MemorySegment slots;
    private final int cores;
    /** Worker side: the thread serving each core's latest request, for {@code harakiri-verbose}'s stack dump. */
    private final Thread[] threads;

    private Scoreboard(Arena arena, MemorySegment slots) {
        this.arena = arena;
        this.slots = slots;
        this.cores = (int) (slots.byteSize() / SLOT);
        this.threads = new Thread[cores];
    }

    /**
     * Creates (or truncates) the file for a worker with {@code cores} cores, all idle, and maps it: the master's side.
     *
     * @throws IOException if the file cannot be created or mapped
     */
    static Scoreboard create(Path file, int cores) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = (long) cores * SLOT;
            channel.position(size - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
            Arena arena = Arena.ofShared();
            return new Scoreboard(arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena));
        }
    }

    /**
     * Maps an existing file: the worker's side.
     *
     * @throws IOException if the file cannot be opened or mapped
     */
    static Scoreboard open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Arena arena = Arena.ofShared();
            return new Scoreboard(arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena));
        }
    }

    /** Returns the number of cores. */
    int cores() {
        return cores;
    }

    /**
     * Marks a core busy with a request (worker side).
     *
     * @param core 0-based core
     * @param startMillis the request's start, epoch ms (positive)
     * @param description {@code "ADDR - METHOD URI"}, cut to fit
     */
    void begin(int core, long startMillis, String description) {
        threads[core] = Thread.currentThread();
        long base = (long) core * SLOT;
        int length = Math.min(description.length(), TEXT_MAX);
        for (int i = 0; i < length; i++) {
            char c = description.charAt(i);
            slots.set(ValueLayout.JAVA_BYTE, base + TEXT_AT + i, (byte) (c <= 0xFF ? c : '?'));
        }
        slots.set(ValueLayout.JAVA_SHORT_UNALIGNED, base + 8, (short) length);
        START.setRelease(slots, base, startMillis);
    }

    /** Marks a core idle and records when its request ended (worker side). */
    void end(int core) {
        long base = (long) core * SLOT;
        START.setRelease(slots, base + END_AT, System.currentTimeMillis());
        START.setRelease(slots, base, 0L);
    }

    /** Returns when the last request on a core ended, epoch ms, or 0 if it has served none (master side). */
    long lastEndMillis(int core) {
        return (long) START.getAcquire(slots, (long) core * SLOT + END_AT);
    }

    /** Returns true if any core has a request in flight (master side; uWSGI's {@code uwsgi_worker_is_busy}). */
    boolean busy() {
        for (int core = 0; core < cores; core++) {
            if (startMillis(core) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Returns when the worker's last request ended, epoch ms, or 0 if it has served none (master side). */
    long lastEndMillis() {
        long last = 0;
        for (int core = 0; core < cores; core++) {
            last = Math.max(last, lastEndMillis(core));
        }
        return last;
    }

    /** Returns the start (epoch ms) of the request on a core, or 0 if it is idle (master side). */
    long startMillis(int core) {
        return (long) START.getAcquire(slots, (long) core * SLOT);
    }

    /** Returns the description of the request on a core (master side; meaningful while it is busy). */
    String description(int core) {
        long base = (long) core * SLOT;
        int length = Math.min(Short.toUnsignedInt(slots.get(ValueLayout.JAVA_SHORT_UNALIGNED, base + 8)), TEXT_MAX);
        byte[] bytes = new byte[length];
        MemorySegment.copy(slots, ValueLayout.JAVA_BYTE, base + TEXT_AT, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns the thread that began the latest request on a core (worker side), or null if none did; meaningful
     * while the core is busy.
     */
    Thread thread(int core) {
        return threads[core];
    }

    /** Returns the start (epoch ms, 0 when idle) of each core's request (master side). */
    long[] starts() {
        long[] starts = new long[cores];
        for (int core = 0; core < cores; core++) {
            starts[core] = startMillis(core);
        }
        return starts;
    }

    /** Unmaps the file (the file itself stays). */
    @Override
    public void close() {
        arena.close();
    }
}
