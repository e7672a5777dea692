package dev.imperium.emperor.client;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the emperor's client control socket is, so that {@code imperium} finds it without options: the emperor and
 * the CLI resolve the same path from the same inputs.
 *
 * <ol>
 *   <li>{@code --control-socket PATH} (both commands), or for {@code imperium} the environment variable
 *       {@value #ENV};</li>
 *   <li>as root: {@value #ROOT_PATH};</li>
 *   <li>otherwise {@code $XDG_RUNTIME_DIR/imperium/emperor.sock} (the user's private runtime directory, as systemd
 *       creates it);</li>
 *   <li>otherwise {@code /tmp/imperium-UID/emperor.sock}.</li>
 * </ol>
 * The directory of a default path is created by the emperor with mode 0700 when missing; the socket itself always
 * has mode 0600 (only the emperor's user, and root, may connect).
 */
public final class ControlSocketPath {
    /** Environment variable the {@code imperium} command reads when {@code --control-socket} is not given. */
    public static final String ENV = "IMPERIUM_CONTROL_SOCKET";
    /** The socket of an emperor running as root. */
    public static final String ROOT_PATH = "/run/imperium/emperor.sock";
    /** The socket's file name in a default directory. */
    public static final String FILE_NAME = "emperor.sock";

    private ControlSocketPath() {
    }

    /**
     * Resolves the socket path.
     *
     * @param explicit the path given on the command line (or in {@value #ENV}), or null
     * @param euid the effective user id of the process
     * @param env the process environment (for {@code XDG_RUNTIME_DIR})
     * @return the path, absolute when a default is used
     */
    public static Path resolve(Path explicit, int euid, Map<String, String> env) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        if (euid == 0) {
            return Path.of(ROOT_PATH);
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank() && xdg.startsWith("/")) {
            return Path.of(xdg, "imperium", FILE_NAME);
        }
        return Path.of("/tmp", "imperium-" + euid, FILE_NAME);
    }

    /**
     * Tells whether {@code path} is one of the default locations (its directory may then be created).
     *
     * @param path a resolved path
     * @param euid the effective user id
     * @param env the environment
     * @return true if {@link #resolve} gives it without an explicit path
     */
    public static boolean isDefault(Path path, int euid, Map<String, String> env) {
        return path.equals(resolve(null, euid, env));
    }
}
