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
 * @param stdinSocket a listening socket to give the child as its fd 0 (issue 7: on-demand vassals), or -1 for none
 *     (its stdin is then a pipe the launcher closes)
 */
public record SpawnRequest(String vassalName, List<String> command, Path workingDirectory,
                           Map<String, String> environment, int stdinSocket) {
    /** Copies the collections. */
    public SpawnRequest {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /** A request without a socket on fd 0. */
    public SpawnRequest(String vassalName, List<String> command, Path workingDirectory,
                        Map<String, String> environment) {
        this(vassalName, command, workingDirectory, environment, -1);
    }
}
