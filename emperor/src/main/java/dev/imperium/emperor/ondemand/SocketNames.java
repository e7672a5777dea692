package dev.imperium.emperor.ondemand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds the socket name of an on-demand vassal as uWSGI 2.0 does ({@code core/emperor.c}
 * {@code emperor_check_on_demand_socket}): the first line of {@code <vassal><EXT>}, {@code DIR/<vassal without
 * extension>.socket}, or the first line a command prints. A vassal without one is an ordinary vassal.
 */
public final class SocketNames {
    /** How long {@code emperor-on-demand-exec}'s command may run (uWSGI waits without a limit). */
    static final long EXEC_TIMEOUT_SECONDS = 10;
    /** The most bytes read from a sidecar file or a command's output. */
    private static final int MAX_BYTES = 4096;

    private SocketNames() {
    }

    /**
     * Returns the socket name of a vassal, or null if it is not on demand.
     *
     * @param settings the on-demand options
     * @param vassalDir the vassal directory (relative names resolve against it)
     * @param vassalName the vassal's name (its file name, or its path for a glob)
     * @throws IOException if the command of {@code emperor-on-demand-exec} cannot run, fails or times out, or the
     *     sidecar file exists but cannot be read
     */
    public static String find(OnDemandSettings settings, Path vassalDir, String vassalName) throws IOException {
        if (settings.extension() != null) {
            try {
                return firstLine(readAtMost(Files.newInputStream(vassalDir.resolve(vassalName + settings.extension()))));
            } catch (NoSuchFileException e) {
                return null;
            }
        }
        if (settings.directory() != null) {
            return inDirectory(settings.directory(), vassalName);
        }
        if (settings.exec() != null) {
            return firstLine(exec(settings.exec(), vassalDir, vassalName));
        }
        return null;
    }

    /**
     * Returns {@code DIR/<name>.socket}, where {@code <name>} is the vassal's last path component up to its last dot.
     *
     * @return the path, or null for a name without a dot (uWSGI then has no socket)
     */
    static String inDirectory(Path directory, String vassalName) {
        String base = vassalName.substring(vassalName.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        return directory.resolve(base.substring(0, dot) + ".socket").toString();
    }

    /**
     * Returns the text before the first control character (a line end included), or null if that is empty: how
     * uWSGI reads a socket name from a file or a command's output.
     */
    static String firstLine(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && (bytes[end] & 0xFF) >= 32) {
            end++;
        }
        return end == 0 ? null : new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Runs {@code /bin/sh -c 'CMD "<file>"'} in the vassal directory, as uWSGI's {@code uwsgi_run_command}. */
    private static byte[] exec(String command, Path vassalDir, String vassalName) throws IOException {
        Process p = new ProcessBuilder("/bin/sh", "-c", command + " \"" + vassalName + "\"")
                .directory(vassalDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            byte[] out = readAtMost(p.getInputStream());
            if (!p.waitFor(EXEC_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + command + "' did not finish within " + EXEC_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("'" + command + "' exited with code " + p.exitValue());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static byte[] readAtMost(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            int n;
            while (out.size() < MAX_BYTES && (n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // let a command finish writing
            return out.toByteArray();
        }
    }
}
