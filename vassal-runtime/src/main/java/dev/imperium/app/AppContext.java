package dev.imperium.app;

import java.nio.file.Path;
import java.util.Objects;

/** Where an app runs, handed to {@link HttpApp#start}. Immutable. */
public interface AppContext {
    /**
     * Returns the number of the worker this instance runs in, 1..{@code processes}, from the environment variable
     * {@code IMPERIUM_WORKER_ID} the vassal sets; 0 when unknown (e.g. in a unit test).
     */
    int workerId();

    /** Returns the vassal's working directory ({@code chdir}), against which relative paths resolve. */
    Path directory();

    /**
     * Returns a context with the given values, e.g. for testing an app.
     *
     * @param workerId the worker number, or 0
     * @param directory the working directory
     */
    static AppContext of(int workerId, Path directory) {
        record Fixed(int workerId, Path directory) implements AppContext {
        }
        return new Fixed(workerId, Objects.requireNonNull(directory, "directory"));
    }
}
