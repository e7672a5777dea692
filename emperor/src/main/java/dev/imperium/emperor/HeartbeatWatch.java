package dev.imperium.emperor;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * uWSGI's {@code emperor-required-heartbeat} (uwsgi-features.md §1.9; {@code core/emperor.c emperor_loop}): a vassal
 * process that has sent a heartbeat must send the next one within the required time; one that does not is reported
 * once to {@code onSilence} (which kills it). A vassal that never sent one is never watched, as in uWSGI.
 *
 * <p>uWSGI checks every vassal at each pass of its loop (every {@code emperor-freq} seconds, so late by up to 3 s);
 * here each heartbeat re-arms a timer, so a silent vassal is killed when the required time has passed. Confined to
 * the event-loop thread.
 */
final class HeartbeatWatch {
    private final EventLoop loop;
    private final Duration required;
    private final Consumer<Vassal.Incarnation> onSilence;
    private final Map<Vassal.Incarnation, EventLoop.Timer> timers = new HashMap<>();

    /**
     * @param loop the loop the timers run on
     * @param required the longest time between two heartbeats
     * @param onSilence told (on the loop) about a process whose next heartbeat is late
     */
    HeartbeatWatch(EventLoop loop, Duration required, Consumer<Vassal.Incarnation> onSilence) {
        this.loop = loop;
        this.required = required;
        this.onSilence = onSilence;
    }

    /** Records a heartbeat of {@code inc}: its next one is due within the required time. */
    void beat(Vassal.Incarnation inc) {
        EventLoop.Timer old = timers.remove(inc);
        if (old != null) {
            old.cancel();
        }
        EventLoop.Timer[] self = new EventLoop.Timer[1];
        self[0] = loop.schedule(required, () -> {
            if (timers.get(inc) == self[0]) {
                timers.remove(inc);
                onSilence.accept(inc);
            }
        });
        timers.put(inc, self[0]);
    }

    /** Stops watching {@code inc} (its process is gone). */
    void forget(Vassal.Incarnation inc) {
        EventLoop.Timer t = timers.remove(inc);
        if (t != null) {
            t.cancel();
        }
    }

    /** Returns how many processes are watched (for tests). */
    int watched() {
        return timers.size();
    }

    /** Returns the required time between two heartbeats. */
    Duration required() {
        return required;
    }
}
