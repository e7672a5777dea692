package dev.imperium.vassal;

import dev.imperium.config.ConfigException;
import dev.imperium.config.VassalConfig;

/** Reads and resolves a vassal file; the master calls it at start and again on every reload. */
@FunctionalInterface
public interface VassalConfigSource {
    /**
     * Loads the vassal file.
     *
     * @param spec the file, optionally with {@code :section}
     * @return the resolved config
     * @throws ConfigException if the file cannot be used; the exception lists every problem
     */
    VassalConfig load(String spec) throws ConfigException;
}
