package dev.imperium.emperor;

/**
 * Told by the {@link Supervisor} about every transition of every vassal, on the event loop, after the transition's
 * actions were performed (and before a vassal that reached {@link VassalState#GONE} is forgotten).
 */
interface VassalObserver {
    /** An observer that does nothing. */
    VassalObserver NONE = (v, event, transition) -> { };

    /**
     * A transition happened.
     *
     * @param vassal the vassal, already in {@code transition.next()}; its {@code current} incarnation is the one
     *     the event concerned
     * @param event what happened
     * @param transition the state machine's decision, whose actions were just performed
     */
    void fired(Vassal vassal, VassalEvent event, Transition transition);
}
