package dev.imperium.emperor.broodlord;

/**
 * The emperor's broodlord option (uwsgi-docs "Broodlord"; uWSGI 2.0 {@code core/emperor.c}).
 *
 * @param limit {@code emperor-broodlord N}: at most N zergs run at once, over all vassals; 0 turns broodlord mode
 *     off (a vassal's request for reinforcements is then ignored)
 */
public record BroodlordSettings(int limit) {
    /** Broodlord mode off, as uWSGI's default. */
    public static final BroodlordSettings NONE = new BroodlordSettings(0);

    /**
     * Checks the limit.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public BroodlordSettings {
        if (limit < 0) {
            throw new IllegalArgumentException("--emperor-broodlord must not be negative: " + limit);
        }
    }

    /** Returns whether broodlord mode is on. */
    public boolean enabled() {
        return limit > 0;
    }
}
