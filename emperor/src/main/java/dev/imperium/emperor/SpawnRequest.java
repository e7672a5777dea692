package dev.imperium.emperor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to launch for one vassal.
 *
 * @param vassalName the vassal file name, for thread names and logs
 * @param command the program and its arguments (the last one is the vassal file name)
 * @param workingDirectory the vassal directory (uWSGI's {@code dir://} monitor chdir's there)
 * @param environment the complete environment of the child
 */
public record SpawnRequest(String vassalName, List<String> command, Path workingDirectory,
                           Map<String, String> environment) {
    /** Copies the collections. */
    public SpawnRequest {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
