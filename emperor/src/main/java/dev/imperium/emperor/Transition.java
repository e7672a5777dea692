package dev.imperium.emperor;

import java.util.List;

/**
 * The outcome of feeding one event to a vassal: its next state and the actions to perform, in order.
 *
 * @param next the state after the event (may equal the current one)
 * @param actions what to do, in order; empty when the event is ignored in that state
 */
public record Transition(VassalState next, List<VassalAction> actions) {
    /** Copies {@code actions}, so a transition is immutable. */
    public Transition {
        actions = List.copyOf(actions);
    }

    /** Returns a transition to {@code next} doing {@code actions} in order. */
    public static Transition to(VassalState next, VassalAction... actions) {
        return new Transition(next, List.of(actions));
    }
}
