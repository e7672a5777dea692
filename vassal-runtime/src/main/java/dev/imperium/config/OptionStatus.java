package dev.imperium.config;

/** Whether Imperium honours an option of uWSGI's table. */
public enum OptionStatus {
    /** Implemented with uWSGI's meaning. */
    SUPPORTED,
    /**
     * Accepted and intentionally without effect, because Imperium always behaves that way (e.g. {@code master}: a
     * vassal always has a master; {@code enable-threads}; {@code plugins = jvm,jwsgi}: built in).
     */
    BUILT_IN,
    /** uWSGI has it, Imperium does not (yet): using it is an "unsupported" error naming it. */
    UNSUPPORTED
}
