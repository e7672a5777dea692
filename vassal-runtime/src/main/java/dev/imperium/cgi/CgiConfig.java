package dev.imperium.cgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a vassal's {@code cgi*} options say, read as uWSGI's CGI plugin reads them (uWSGI 2.0
 * {@code plugins/cgi/cgi_plugin.c}; uwsgi-docs "Running CGI scripts on uWSGI").
 *
 * @param mountpoints the {@code cgi = [MOUNTPOINT=]PATH} values, in order; PATH is a directory of scripts or one
 *     script; relative paths resolve against the worker's directory
 * @param helpers the {@code cgi-helper}/{@code cgi-map-helper} values ({@code .ext=COMMAND}), in order
 * @param allowedExtensions {@code cgi-allowed-ext}: when any is given, only files whose name ends with one run
 * @param indexFiles {@code cgi-index}: names tried, in order, for a request that maps to a directory
 * @param unset {@code cgi-unset}: environment variables removed before the script runs
 * @param safe {@code cgi-safe}: path prefixes under which a script may lie outside its directory (symlinks)
 * @param timeoutSeconds {@code cgi-timeout}: how long the script may go without reading its input or writing its
 *     output before it is killed; uWSGI's default, 60, for 0
 * @param bufferSize {@code cgi-buffer-size}: the largest response head the script may write, in bytes; uWSGI's
 *     default, 65536, for 0
 * @param optimize {@code cgi-optimize}: resolve the paths once at start-up (a missing one is then an error) instead
 *     of on every request
 * @param fromDocroot {@code cgi-from-docroot}: run the scripts of the request's {@code DOCUMENT_ROOT} (as the front
 *     server sends it) instead of the {@code cgi} paths
 * @param doNotKillOnError {@code cgi-do-not-kill-on-error}: on a timeout, an invalid response or a client gone, leave
 *     the script running instead of killing it
 */
public record CgiConfig(
        List<Mountpoint> mountpoints,
        List<Helper> helpers,
        List<String> allowedExtensions,
        List<String> indexFiles,
        List<String> unset,
        List<String> safe,
        int timeoutSeconds,
        int bufferSize,
        boolean optimize,
        boolean fromDocroot,
        boolean doNotKillOnError) {

    /** uWSGI's {@code cgi-timeout} default, in seconds. */
    public static final int DEFAULT_TIMEOUT = 60;
    /** uWSGI's {@code cgi-buffer-size} default, in bytes. */
    public static final int DEFAULT_BUFFER_SIZE = 65536;

    /**
     * One {@code cgi} value.
     *
     * @param mountpoint the URL prefix ({@code /cgi-bin}), or null for the default path used when no mountpoint
     *     matches
     * @param path the directory or script
     */
    public record Mountpoint(String mountpoint, String path) {
        /** Requires a path. */
        public Mountpoint {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * One {@code cgi-helper} value: scripts whose file name ends with {@code suffix} are run as
     * {@code COMMAND SCRIPT}.
     *
     * @param suffix the end of the file name, e.g. {@code .php} or {@code php}
     * @param command the program to run, looked up in {@code PATH} when it has no {@code /}; not split on spaces
     */
    public record Helper(String suffix, String command) {
    }

    /** Copies the lists and applies uWSGI's defaults to zero values. */
    public CgiConfig {
        mountpoints = List.copyOf(mountpoints);
        helpers = List.copyOf(helpers);
        allowedExtensions = List.copyOf(allowedExtensions);
        indexFiles = List.copyOf(indexFiles);
        unset = List.copyOf(unset);
        safe = List.copyOf(safe);
        if (timeoutSeconds < 0 || bufferSize < 0) {
            throw new IllegalArgumentException("cgi-timeout and cgi-buffer-size must not be negative");
        }
        timeoutSeconds = timeoutSeconds == 0 ? DEFAULT_TIMEOUT : timeoutSeconds;
        bufferSize = bufferSize == 0 ? DEFAULT_BUFFER_SIZE : bufferSize;
    }

    /** Returns true when CGI is configured: a {@code cgi} path, or {@code cgi-from-docroot}. */
    public boolean enabled() {
        return !mountpoints.isEmpty() || fromDocroot;
    }

    /**
     * Reads the options' values.
     *
     * @param cgi {@code cgi} values
     * @param helpers {@code cgi-helper} values
     * @param allowedExtensions {@code cgi-allowed-ext} values
     * @param indexFiles {@code cgi-index} values
     * @param unset {@code cgi-unset} values
     * @param safe {@code cgi-safe} values
     * @param timeoutSeconds {@code cgi-timeout}, 0 for the default
     * @param bufferSize {@code cgi-buffer-size}, 0 for the default
     * @param optimize {@code cgi-optimize}
     * @param fromDocroot {@code cgi-from-docroot}
     * @param doNotKillOnError {@code cgi-do-not-kill-on-error}
     * @return the configuration
     * @throws IllegalArgumentException naming the bad value: a {@code cgi} without a path, a helper without
     *     {@code =} (uWSGI: {@code invalid CGI helper syntax, must be ext=command}), a {@code sym://} helper
     */
    public static CgiConfig parse(List<String> cgi, List<String> helpers, List<String> allowedExtensions,
            List<String> indexFiles, List<String> unset, List<String> safe, int timeoutSeconds, int bufferSize,
            boolean optimize, boolean fromDocroot, boolean doNotKillOnError) {
        List<Mountpoint> mountpoints = new ArrayList<>();
        for (String value : cgi) {
            mountpoints.add(parseMountpoint(value));
        }
        List<Helper> parsedHelpers = new ArrayList<>();
        for (String value : helpers) {
            parsedHelpers.add(parseHelper(value));
        }
        return new CgiConfig(mountpoints, parsedHelpers, allowedExtensions, indexFiles, unset, safe, timeoutSeconds,
                bufferSize, optimize, fromDocroot, doNotKillOnError);
    }

    /**
     * Reads one {@code cgi} value: {@code PATH}, or {@code MOUNTPOINT=PATH} (split at the first {@code =}, as uWSGI
     * does).
     *
     * @throws IllegalArgumentException if the value or its path is empty
     */
    public static Mountpoint parseMountpoint(String value) {
        String v = value.strip();
        int eq = v.indexOf('=');
        Mountpoint m = eq < 0 ? new Mountpoint(null, v) : new Mountpoint(v.substring(0, eq), v.substring(eq + 1));
        if (m.path().isEmpty() || (m.mountpoint() != null && m.mountpoint().isEmpty())) {
            throw new IllegalArgumentException("cgi: expected [MOUNTPOINT=]PATH, got '" + value + "'");
        }
        return m;
    }

    /**
     * Reads one {@code cgi-helper} value, {@code .ext=COMMAND}.
     *
     * @throws IllegalArgumentException without {@code =} or with an empty side, in uWSGI's words; for a
     *     {@code sym://} helper (a symbol of a loaded library, which a JVM cannot call)
     */
    public static Helper parseHelper(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new IllegalArgumentException("invalid CGI helper syntax, must be ext=command: '" + value + "'");
        }
        String command = value.substring(eq + 1).strip();
        if (command.startsWith("sym://")) {
            throw new IllegalArgumentException("cgi-helper: sym:// helpers (library symbols) are not supported: '"
                    + value + "'");
        }
        return new Helper(value.substring(0, eq).strip(), command);
    }
}
