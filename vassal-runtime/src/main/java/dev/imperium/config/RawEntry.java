package dev.imperium.config;

/**
 * One key/value pair exactly as a format reader found it: magic variables already replaced (uWSGI does that on the
 * raw file text), but no logic, includes or {@code %(…)}/{@code $(…)}/{@code @(…)} expansion yet.
 *
 * @param key the key as written (not yet canonical)
 * @param value the value; {@link #BARE_VALUE} for a key written without a value
 * @param origin where it was written
 * @param bare true for a key without a value ({@code master} in ini, {@code master:} in YAML)
 */
record RawEntry(String key, String value, Origin origin, boolean bare) {
    /** The value a bare key gets, as {@link ConfigEntry} documents. */
    static final String BARE_VALUE = "true";

    static RawEntry bare(String key, Origin origin) {
        return new RawEntry(key, BARE_VALUE, origin, true);
    }

    static RawEntry of(String key, String value, Origin origin) {
        return new RawEntry(key, value, origin, false);
    }
}
