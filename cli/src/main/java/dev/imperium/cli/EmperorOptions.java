package dev.imperium.cli;

import dev.imperium.emperor.client.ControlClient;
import dev.imperium.emperor.client.ControlClientException;
import dev.imperium.emperor.client.ControlSocketPath;
import dev.imperium.os.Credentials;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The options every command that talks to the emperor shares: where its control socket is, how long to wait, and
 * {@code --json}.
 */
final class EmperorOptions {
    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "The emperor's control socket (default: $" + ControlSocketPath.ENV + ", else "
                    + ControlSocketPath.ROOT_PATH + " as root, else $XDG_RUNTIME_DIR/imperium/emperor.sock, else "
                    + "/tmp/imperium-UID/emperor.sock).")
    Path controlSocket;

    /** The default of {@code --timeout}, in seconds. */
    static final long DEFAULT_TIMEOUT_SECONDS = 120;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up after this many seconds (default: " + DEFAULT_TIMEOUT_SECONDS + "; none for "
                    + "logs -f and top). The emperor goes on with what it was asked.")
    Long timeoutSeconds;

    @Option(names = "--json", description = "Print the emperor's answer as JSON, for scripts.")
    boolean json;

    /** Returns the socket to use: {@code --control-socket}, the environment variable, or the default. */
    Path socket(Map<String, String> env, int euid) {
        Path explicit = controlSocket;
        if (explicit == null) {
            String fromEnv = env.get(ControlSocketPath.ENV);
            if (fromEnv != null && !fromEnv.isBlank()) {
                explicit = Path.of(fromEnv);
            }
        }
        return ControlSocketPath.resolve(explicit, euid, env);
    }

    /** Connects to the emperor, with {@code --timeout} (or the default) armed. */
    ControlClient connect() throws ControlClientException {
        return connect(DEFAULT_TIMEOUT_SECONDS);
    }

    /**
     * Connects to the emperor.
     *
     * @param defaultTimeoutSeconds the timeout when {@code --timeout} is not given; 0 for none
     */
    ControlClient connect(long defaultTimeoutSeconds) throws ControlClientException {
        int euid = Credentials.effectiveUid();
        ControlClient client = ControlClient.connect(socket(System.getenv(), euid), euid);
        long timeout = timeoutSeconds != null ? timeoutSeconds : defaultTimeoutSeconds;
        return timeout > 0 ? client.timeout(Duration.ofSeconds(timeout)) : client;
    }
}
