package dev.imperium.vassal;

import dev.imperium.stats.RequestDurations;
import dev.imperium.stats.WorkerCounters;

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
 * <p>It also holds the worker's request counters, which the master reads for the stats server and the emperor report
 * ({@link WorkerCounters}): each core's counters are written only by the thread serving that core's request, with
 * plain stores and no lock, so that a request costs the worker a handful of stores into the mapped page.
 *
 * <p>Layout: a {@value #HEADER}-byte header (the worker's app exceptions, counted atomically since any core may
 * count one, and uWSGI's running average response time, a racy read-modify-write as in uWSGI), then one
 * {@value #SLOT}-byte slot per core: the request's start (epoch ms, 0 when the core is idle), the length of the
 * description, then its bytes ({@code "ADDR - METHOD URI"}, ISO-8859-1, cut at {@value #TEXT_MAX} bytes; written
 * only when the vassal has {@code harakiri} or {@code stats}), when the core's last request ended (epoch ms, 0 before
 * the first: what {@code idle} needs), then the core's {@link WorkerCounters#FIELDS} counters. The start is written
 * last with release semantics and read first with acquire semantics; a description read while the worker moves on to
 * the next request may mix the two, which only a log line or a stats document shows.
 */
final class Scoreboard implements AutoCloseable {
    /** Bytes of the worker-wide header. */
    static final int HEADER = 64;
    /** Bytes per core. */
    static final int SLOT = 512;
    private static final int EXCEPTIONS_AT = 0;
    private static final int AVG_RT_AT = 8;
    private static final int TEXT_AT = 10;
    private static final int END_AT = 248;
    /** The longest description kept, in bytes. */
    static final int TEXT_MAX = END_AT - TEXT_AT;
    private static final int COUNTERS_AT = 256;
    private static final VarHandle START = ValueLayout.JAVA_LONG.varHandle();

    /** {@link #end(int, int, long, long, int)} flag: a static file answered the request. */
    static final int STATIC = 1;
    /** {@link #end(int, int, long, long, int)} flag: internal routing answered the request. */
    static final int ROUTED = 2;
    /** {@link #end(int, int, long, long, int)} flag: the request body could not be read. */
    static final int READ_ERROR = 4;
    /** {@link #end(int, int, long, long, int)} flag: the response could not be written. */
    static final int WRITE_ERROR = 8;

    private final Arena arena;
    private final MemorySegment slots;
    private final int cores;
    /** Worker side: the thread serving each core's latest request, for {@code harakiri-verbose}'s stack dump. */
    private final Thread[] threads;

    private Scoreboard(Arena arena, MemorySegment slots) {
        this.arena = arena;
        this.slots = slots;
        this.cores = (int) ((slots.byteSize() - HEADER) / SLOT);
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
            long size = HEADER + (long) cores * SLOT;
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
     * @param description {@code "ADDR - METHOD URI"}, cut to fit; null to leave it empty (only harakiri's log lines
     *     and the stats server show it)
     */
    void begin(int core, long startMillis, String description) {
        threads[core] = Thread.currentThread();
        long base = base(core);
        int length = description == null ? 0 : Math.min(description.length(), TEXT_MAX);
        for (int i = 0; i < length; i++) {
            char c = description.charAt(i);
            slots.set(ValueLayout.JAVA_BYTE, base + TEXT_AT + i, (byte) (c <= 0xFF ? c : '?'));
        }
        slots.set(ValueLayout.JAVA_SHORT_UNALIGNED, base + 8, (short) length);
        START.setRelease(slots, base, startMillis);
    }

    /** Marks a core idle and records when its request ended, without counting the request (worker side). */
    void end(int core) {
        long base = base(core);
        START.setRelease(slots, base + END_AT, System.currentTimeMillis());
        START.setRelease(slots, base, 0L);
    }

    /**
     * Counts a finished request and marks its core idle (worker side): plain stores into the core's counters, which
     * only the thread serving this core writes, then the release that publishes them.
     *
     * @param core 0-based core
     * @param status the status sent, 0 if none was
     * @param txBytes the response bytes sent (head and body)
     * @param micros how long the request took, in microseconds
     * @param flags {@link #STATIC}, {@link #ROUTED}, {@link #READ_ERROR}, {@link #WRITE_ERROR}, or 0
     */
    void end(int core, int status, long txBytes, long micros, int flags) {
        long base = base(core);
        long counters = base + COUNTERS_AT;
        add(counters, WorkerCounters.REQUESTS, 1);
        if (flags != 0) {
            if ((flags & STATIC) != 0) {
                add(counters, WorkerCounters.STATIC_REQUESTS, 1);
            }
            if ((flags & ROUTED) != 0) {
                add(counters, WorkerCounters.ROUTED_REQUESTS, 1);
            }
            if ((flags & READ_ERROR) != 0) {
                add(counters, WorkerCounters.READ_ERRORS, 1);
            }
            if ((flags & WRITE_ERROR) != 0) {
                add(counters, WorkerCounters.WRITE_ERRORS, 1);
            }
        }
        add(counters, WorkerCounters.TX, txBytes);
        add(counters, WorkerCounters.RUNNING_MICROS, micros);
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            add(counters, WorkerCounters.STATUS_1XX + statusClass - 1, 1);
        }
        add(counters, WorkerCounters.DURATION_BUCKET_0 + RequestDurations.bucket(micros), 1);
        // uWSGI's avg_rt: (avg + rt) / 2, racy between cores as in uWSGI (a lost update only skews the average)
        slots.set(ValueLayout.JAVA_LONG, AVG_RT_AT, (slots.get(ValueLayout.JAVA_LONG, AVG_RT_AT) + micros) / 2);
        START.setRelease(slots, base + END_AT, System.currentTimeMillis());
        START.setRelease(slots, base, 0L);
    }

    /** Counts a request an app failed (worker side; any thread). */
    void exception() {
        START.getAndAdd(slots, (long) EXCEPTIONS_AT, 1L);
    }

    private void add(long counters, int field, long value) {
        long at = counters + 8L * field;
        slots.set(ValueLayout.JAVA_LONG, at, slots.get(ValueLayout.JAVA_LONG, at) + value);
    }

    private static long base(int core) {
        return HEADER + (long) core * SLOT;
    }

    /**
     * Adds this worker's counters, core by core, and its app exceptions to {@code into} (master side).
     */
    void addCountersTo(WorkerCounters into) {
        for (int core = 0; core < cores; core++) {
            long counters = base(core) + COUNTERS_AT;
            for (int field = 0; field < WorkerCounters.FIELDS; field++) {
                into.add(core, field, (long) START.getAcquire(slots, counters + 8L * field));
            }
        }
        into.addExceptions(exceptions());
    }

    /** Returns the requests this worker served: its {@code delta_requests} (master side). */
    long requests() {
        long sum = 0;
        for (int core = 0; core < cores; core++) {
            sum += (long) START.getAcquire(slots, base(core) + COUNTERS_AT + 8L * WorkerCounters.REQUESTS);
        }
        return sum;
    }

    /** Returns the app exceptions this worker counted (master side). */
    long exceptions() {
        return (long) START.getAcquire(slots, (long) EXCEPTIONS_AT);
    }

    /** Returns uWSGI's running average response time of this worker, in microseconds (master side). */
    long avgRtMicros() {
        return (long) START.getAcquire(slots, (long) AVG_RT_AT);
    }

    /** Returns when the last request on a core ended, epoch ms, or 0 if it has served none (master side). */
    long lastEndMillis(int core) {
        return (long) START.getAcquire(slots, base(core) + END_AT);
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
        return (long) START.getAcquire(slots, base(core));
    }

    /** Returns the description of the request on a core (master side; meaningful while it is busy). */
    String description(int core) {
        long base = base(core);
        int length = Math.min(Short.toUnsignedInt(slots.get(ValueLayout.JAVA_SHORT_UNALIGNED, base + 8)), TEXT_MAX);
        byte[] bytes = new byte[length];
        MemorySegment.copy(slots, ValueLayout.JAVA_BYTE, base + TEXT_AT, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * Records that the app runs the current request of {@code core} on the calling thread (a core's platform thread:
     * {@code imperium-virtual-threads = false}), so that harakiri-verbose shows the app's stack (worker side).
     */
    void runsOn(int core) {
        threads[core] = Thread.currentThread();
    }

    /**
     * Returns the thread that runs the request on a core (worker side), or null if none did; meaningful while the
     * core is busy.
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
