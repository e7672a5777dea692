package dev.imperium.stats;

import java.util.Arrays;

/**
 * The request counters of a worker process, or of everything one worker slot or one vassal has served, per core
 * (uWSGI's request slots, {@code threads}): each core has {@link #FIELDS} counters, at the indexes named here, in the
 * order the worker's scoreboard keeps them. Plus the app exceptions, which a worker counts for all its cores together.
 * Not thread-safe: the master fills one from the scoreboards on its event loop.
 */
public final class WorkerCounters {
    /** Requests served (answered, failed or abandoned: every request that took the core, as uWSGI counts). */
    public static final int REQUESTS = 0;
    /** Requests answered by the static-file handler ({@code check-static}, {@code static-map}). */
    public static final int STATIC_REQUESTS = 1;
    /** Requests answered by internal routing itself ({@code route = ... return:403}, {@code redirect}, ...). */
    public static final int ROUTED_REQUESTS = 2;
    /** Requests whose response could not be written (the client went away while it was sent). */
    public static final int WRITE_ERRORS = 3;
    /** Requests whose body could not be read (the client went away or timed out before the response began). */
    public static final int READ_ERRORS = 4;
    /** Response bytes sent: status line and header fields, then the body. */
    public static final int TX = 5;
    /** Microseconds spent serving requests. */
    public static final int RUNNING_MICROS = 6;
    /** Requests answered 1xx; {@code STATUS_1XX + 1} .. {@code + 4} count 2xx .. 5xx. */
    public static final int STATUS_1XX = 7;
    /** The first of the duration buckets ({@link RequestDurations}): {@link RequestDurations#BOUNDS} + 1 counters. */
    public static final int DURATION_BUCKET_0 = STATUS_1XX + 5;
    /** Counters per core. */
    public static final int FIELDS = DURATION_BUCKET_0 + RequestDurations.BOUNDS + 1;

    private long[][] cores = new long[0][];
    private long exceptions;

    /** Returns the number of cores with counters. */
    public int cores() {
        return cores.length;
    }

    /** Returns one counter of one core; 0 for a core it has no counters for. */
    public long get(int core, int field) {
        return core < cores.length ? cores[core][field] : 0;
    }

    /** Adds {@code value} to one counter of one core, making room for the core if needed. */
    public void add(int core, int field, long value) {
        grow(core + 1);
        cores[core][field] += value;
    }

    /** Adds every counter of {@code other}, core by core, and its exceptions. */
    public void add(WorkerCounters other) {
        grow(other.cores.length);
        for (int core = 0; core < other.cores.length; core++) {
            for (int field = 0; field < FIELDS; field++) {
                cores[core][field] += other.cores[core][field];
            }
        }
        exceptions += other.exceptions;
    }

    /** Returns the sum of one counter over the cores. */
    public long total(int field) {
        long sum = 0;
        for (long[] core : cores) {
            sum += core[field];
        }
        return sum;
    }

    /** Returns the sums of {@code count} consecutive counters from {@code first}, over the cores. */
    public long[] totals(int first, int count) {
        long[] sums = new long[count];
        for (int i = 0; i < count; i++) {
            sums[i] = total(first + i);
        }
        return sums;
    }

    /** Returns the app exceptions (requests an app failed, answered 500). */
    public long exceptions() {
        return exceptions;
    }

    /** Adds to the app exceptions. */
    public void addExceptions(long count) {
        exceptions += count;
    }

    private void grow(int count) {
        if (count > cores.length) {
            int old = cores.length;
            cores = Arrays.copyOf(cores, count);
            for (int i = old; i < count; i++) {
                cores[i] = new long[FIELDS];
            }
        }
    }
}
