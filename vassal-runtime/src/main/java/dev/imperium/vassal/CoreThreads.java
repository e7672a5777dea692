package dev.imperium.vassal;

import java.util.concurrent.locks.LockSupport;

/**
 * uWSGI's {@code threads}: one platform thread per core (request slot) of a worker, started once and reused for every
 * request that core serves, as uWSGI's prethreaded workers do. The connection's own (virtual) thread reads the
 * request and hands it to the core's thread, which runs the app and writes the response, then hands back. Apps thus
 * see a fixed pool of ordinary threads (thread-locals kept across requests, native code and {@code synchronized}
 * blocking only their own thread), while idle keep-alive connections still hold no thread.
 *
 * <p>A core serves one request at a time: the caller must hold the core (the dispatcher's free-core list
 * guarantees it).
 */
final class CoreThreads {
    /** A request handed to a core's thread. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private static final class Slot {
        volatile Task task;
        volatile Thread caller;
        volatile boolean done;
        volatile Throwable failure;
        Thread thread;
    }

    private final Slot[] slots;

    /**
     * Starts the threads, named {@code uwsgi-core-N} (daemon threads: a worker exits when its listeners are done).
     *
     * @param cores how many (uWSGI's {@code threads})
     * @param stackSizeKb the stack of each, in KiB ({@code thread-stacksize}); 0 for the JVM's default
     */
    CoreThreads(int cores, int stackSizeKb) {
        slots = new Slot[cores];
        for (int i = 0; i < cores; i++) {
            Slot slot = new Slot();
            slots[i] = slot;
            Thread.Builder.OfPlatform builder = Thread.ofPlatform().name("uwsgi-core-" + i).daemon(true);
            if (stackSizeKb > 0) {
                builder.stackSize(stackSizeKb * 1024L);
            }
            slot.thread = builder.start(() -> loop(slot));
        }
    }

    /** Returns the number of threads. */
    int size() {
        return slots.length;
    }

    /**
     * Runs {@code task} on the thread of {@code core} and waits for it.
     *
     * @param core the core the caller holds
     * @param task the work
     * @throws Exception whatever the task threw
     */
    void run(int core, Task task) throws Exception {
        Slot slot = slots[core];
        slot.done = false;
        slot.failure = null;
        slot.caller = Thread.currentThread();
        slot.task = task;
        LockSupport.unpark(slot.thread);
        boolean interrupted = false;
        while (!slot.done) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true; // the request runs on; the caller learns of the interrupt afterwards
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = slot.failure;
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static void loop(Slot slot) {
        while (true) {
            Task task = slot.task;
            if (task == null) {
                Thread.interrupted(); // an app that left its thread interrupted must not make this loop spin
                LockSupport.park(slot);
                continue;
            }
            slot.task = null;
            try {
                task.run();
            } catch (Throwable t) {
                slot.failure = t;
            }
            Thread caller = slot.caller;
            slot.done = true;
            LockSupport.unpark(caller);
        }
    }
}
