package dev.imperium.vassal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The order of one chain reload ({@code touch-chain-reload}, master FIFO {@code c}; uwsgi-docs "The Art of Graceful
 * Reloading", uWSGI 2.0 {@code uwsgi_master_check_chain}): the workers are replaced one slot at a time. For slot i
 * the new worker starts; only once it accepts is the old worker i retired (gracefully), and the next slot begins.
 * So every slot always has an accepting worker, old or new, unlike uWSGI, which retires the old worker first and
 * spawns its replacement after it exited.
 *
 * <p>If a new worker fails before it accepts, the chain rolls back: that slot's old worker never stopped serving;
 * each slot already replaced gets an old-config worker again, and its new worker is retired only once that one
 * accepts; then the chain ends as failed. Pure sequencing: the master carries out the {@link Steps} and reports the
 * workers' events; not thread-safe (the master's loop owns it).
 */
final class ChainReload {
    /** What the master does at each step; every call refers to a worker slot (uWSGI's worker id). */
    interface Steps {
        /** Starts the new worker of {@code slot}. */
        void spawnNew(int slot);

        /** The new worker of {@code slot} accepts: retire the old one gracefully. */
        void retireOld(int slot);

        /**
         * Rolling back: start an old-config worker for {@code slot} again.
         *
         * @return true if an old-config worker already accepts in that slot (none is started then)
         */
        boolean restoreOld(int slot);

        /** Rolling back: the restored old worker of {@code slot} accepts: retire the new one. */
        void retireNew(int slot);

        /** Rolling back: stop the new worker of {@code slot}, which never accepted, if it still runs. */
        void discardNew(int slot);

        /** Every slot was replaced. */
        void completed();

        /** The rollback is over: every slot has an old-config worker again. */
        void failed(String reason);
    }

    /** Where the chain is. */
    enum Phase { REPLACING, ROLLING_BACK, DONE }

    private final List<Integer> slots;
    private final Steps steps;
    private final Set<Integer> replaced = new LinkedHashSet<>();
    private final Set<Integer> restoring = new LinkedHashSet<>();
    private Phase phase = Phase.REPLACING;
    private int index = -1;
    private String failure;

    /**
     * Creates the chain.
     *
     * @param slots the slots to replace, in order (at least one)
     * @param steps what the master does at each step
     */
    ChainReload(List<Integer> slots, Steps steps) {
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("a chain reload needs at least one worker");
        }
        this.slots = List.copyOf(slots);
        this.steps = Objects.requireNonNull(steps);
    }

    /** Starts the first slot. */
    void start() {
        if (index < 0) {
            index = 0;
            steps.spawnNew(slots.getFirst());
        }
    }

    /** Returns where the chain is. */
    Phase phase() {
        return phase;
    }

    /** Returns the slot being replaced, or -1 when not replacing. */
    int slot() {
        return phase == Phase.REPLACING && index >= 0 ? slots.get(index) : -1;
    }

    /** Returns the slots whose old worker was retired (in the order they were). */
    List<Integer> replaced() {
        return new ArrayList<>(replaced);
    }

    /**
     * A new worker accepts. For the slot being replaced this retires the old worker and starts the next slot (or
     * completes the chain); any other report is ignored.
     */
    void newAccepting(int slot) {
        if (phase != Phase.REPLACING || slot != slot()) {
            return;
        }
        replaced.add(slot);
        steps.retireOld(slot);
        if (index == slots.size() - 1) {
            phase = Phase.DONE;
            steps.completed();
        } else {
            index++;
            steps.spawnNew(slots.get(index));
        }
    }

    /**
     * A new worker failed before it accepted (exited, or did not accept in time): the chain rolls back. Ignored
     * unless replacing.
     *
     * @param slot the failed worker's slot
     * @param reason why, for the log
     */
    void newFailed(int slot, String reason) {
        if (phase != Phase.REPLACING) {
            return;
        }
        phase = Phase.ROLLING_BACK;
        failure = reason;
        int unfinished = slots.get(index);
        steps.discardNew(unfinished);
        restoring.addAll(replaced);
        if (restoring.isEmpty()) {
            phase = Phase.DONE;
            steps.failed(reason);
            return;
        }
        for (int s : new ArrayList<>(restoring)) {
            if (steps.restoreOld(s)) {
                restoring.remove(s);
                steps.retireNew(s);
            }
        }
        if (restoring.isEmpty()) {
            phase = Phase.DONE;
            steps.failed(reason);
        }
    }

    /** An old-config worker accepts. While rolling back, this retires that slot's new worker; else ignored. */
    void oldAccepting(int slot) {
        if (phase != Phase.ROLLING_BACK || !restoring.remove(slot)) {
            return;
        }
        steps.retireNew(slot);
        if (restoring.isEmpty()) {
            phase = Phase.DONE;
            steps.failed(failure);
        }
    }

    /**
     * Returns why the master cannot chain-reload from {@code current} to {@code next} (so that it reloads
     * gracefully instead), or null if it can: the workers are replaced slot by slot, so the number of workers and the
     * sockets they accept on must stay the same.
     *
     * @param current the settings the workers run now
     * @param next the settings read again from the vassal file
     * @param sameSockets whether {@code next}'s sockets are exactly the ones bound now, in the same order
     */
    static String obstacle(VassalSettings current, VassalSettings next, boolean sameSockets) {
        if (current.processes() != next.processes()) {
            return "the number of processes changed (" + current.processes() + " -> " + next.processes() + ")";
        }
        if (!sameSockets) {
            return "the sockets changed";
        }
        return null;
    }
}
