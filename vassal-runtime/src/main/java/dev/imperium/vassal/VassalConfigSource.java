package dev.imperium.vassal;

import dev.imperium.config.ConfigException;
import dev.imperium.config.VassalConfig;

/** Reads and resolves a vassal file; the master calls it at start and again on every reload. */
@FunctionalInterface
public interface VassalConfigSource {
    /** Environment variable holding how many times the vassal was reloaded (uWSGI's {@code UWSGI_RELOADS}). */
    String ENV_RELOADS = "IMPERIUM_RELOADS";

    /**
     * Loads the vassal file.
     *
     * @param spec the file, optionally with {@code :section}
     * @param reloads how many times the vassal was reloaded before (0 at start): {@code if-reload} is true above 0
     * @return the resolved config
     * @throws ConfigException if the file cannot be used; the exception lists every problem
     */
    VassalConfig load(String spec, int reloads) throws ConfigException;
}
