package dev.imperium.apps;

import dev.imperium.app.AppContext;

import java.nio.file.Path;

/**
 * The {@link AppContext} of a worker: the worker number from {@code IMPERIUM_WORKER_ID} and the vassal's directory.
 *
 * @param workerId the worker number, 0 when unknown
 * @param directory the vassal's working directory
 */
record RuntimeAppContext(int workerId, Path directory) implements AppContext {

    /** The environment variable the vassal sets in each worker: its number, 1..processes. */
    static final String WORKER_ID_VARIABLE = "IMPERIUM_WORKER_ID";

    /** Returns the context for this process. */
    static RuntimeAppContext of(Path directory) {
        int id = 0;
        String value = System.getenv(WORKER_ID_VARIABLE);
        if (value != null) {
            try {
                id = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                id = 0;
            }
        }
        return new RuntimeAppContext(id, directory);
    }
}
