package dev.imperium.emperor.ondemand;

import dev.imperium.os.Descriptors;
import dev.imperium.os.Posix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts a process whose fd 0 is a listening socket, as uWSGI's emperor spawns an on-demand vassal
 * ({@code dup2(on_demand_fd, 0)}, {@code core/emperor.c}). A JVM cannot pass a descriptor to a child other than
 * through its standard streams, so the socket goes through the emperor's own fd 0: {@code dup2(socket, 0)}, start
 * with {@link ProcessBuilder.Redirect#INHERIT}, then fd 0 gets its old file back. Starts are serialized; every other
 * process the emperor starts gets a pipe as its stdin, so none can inherit the socket by accident.
 */
public final class StdinHandover {
    private static final Object LOCK = new Object();

    private StdinHandover() {
    }

    /**
     * Starts {@code command} with {@code socket} as its fd 0; stdout and stderr are pipes.
     *
     * @param command the program and its arguments
     * @param env the complete environment, or null to inherit the emperor's
     * @param dir the working directory
     * @param socket the listening socket (the emperor keeps its own descriptor)
     * @return the started process
     * @throws IOException if the program cannot be started or the socket cannot be placed on fd 0
     */
    public static Process start(List<String> command, Map<String, String> env, Path dir, int socket)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        if (env != null) {
            builder.environment().clear();
            builder.environment().putAll(env);
        }
        synchronized (LOCK) {
            int saved = Descriptors.dupCloexec(0, 3);
            if (Posix.dup2(socket, 0) < 0) {
                if (saved >= 0) {
                    Posix.close(saved);
                }
                throw new IOException("cannot give the on-demand socket to the vassal as its fd 0");
            }
            try {
                return builder.start();
            } finally {
                if (saved >= 0) {
                    Posix.dup2(saved, 0);
                    Posix.close(saved);
                } else {
                    Posix.close(0); // it was closed before
                }
            }
        }
    }
}
