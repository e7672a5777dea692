package dev.imperium.emperor;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A single-threaded event loop with timers: every task posted to it, and every timer, runs on the one loop
 * thread, in order. The emperor keeps all supervision state confined to this thread, so none of it needs locks.
 */
final class EventLoop {
    /** A scheduled task; {@link #cancel()} it and it will not run. */
    static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long seq;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        /** Prevents the task from running; call on the loop thread. */
        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Consumer<Throwable> onError;
    private long seq;
    private volatile boolean stopped;
    private volatile Thread thread;

    /**
     * Creates a loop.
     *
     * @param onError told about any exception a task throws; the loop goes on
     */
    EventLoop(Consumer<Throwable> onError) {
        this.onError = onError;
    }

    /** Queues a task to run on the loop thread; callable from any thread. */
    void post(Runnable task) {
        queue.add(task);
    }

    /**
     * Runs {@code task} on the loop thread after {@code delay}; call on the loop thread.
     *
     * @param delay how long to wait (zero: after the tasks already queued)
     * @param task what to run
     * @return the timer, to cancel it
     */
    Timer schedule(Duration delay, Runnable task) {
        Timer t = new Timer(System.nanoTime() + Math.max(0, delay.toNanos()), seq++, task);
        timers.add(t);
        return t;
    }

    /** Tells whether the caller runs on the loop thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs tasks and timers on the calling thread until {@link #stop()}. */
    void run() {
        thread = Thread.currentThread();
        while (!stopped) {
            Runnable task;
            try {
                Timer next = timers.peek();
                if (next == null) {
                    task = queue.take();
                } else {
                    long wait = next.deadline - System.nanoTime();
                    task = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                if (stopped) {
                    break;
                }
                continue;
            }
            if (task != null) {
                runSafely(task);
            }
            long now = System.nanoTime();
            Timer due;
            while (!stopped && (due = timers.peek()) != null && due.deadline - now <= 0) {
                timers.poll();
                if (!due.cancelled) {
                    runSafely(due.task);
                }
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            onError.accept(e);
        }
    }

    /** Makes {@link #run()} return after the current task; callable from any thread. */
    void stop() {
        stopped = true;
        queue.add(() -> { });
    }
}
