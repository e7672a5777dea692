package dev.imperium.vassal;

import dev.imperium.config.VassalConfig;
import dev.imperium.os.Credentials;
import dev.imperium.os.Posix;

import java.util.ArrayList;
import java.util.List;

/**
 * Who a vassal's workers and routers run as: uWSGI's {@code uid} and {@code gid} (uwsgi-docs "Options";
 * {@code core/utils.c uwsgi_as_root}), applied by each worker and router JVM to itself right after it took its
 * sockets and before it loads any app code.
 *
 * <p>Where Imperium differs from uWSGI 2.0:
 * <ul>
 *   <li>The master keeps its user, as uWSGI's {@code master-as-root}: it runs no app code, and it can bind new
 *       privileged sockets on a reload.</li>
 *   <li>{@code uid} without {@code gid} takes the user's primary group (uWSGI would keep group 0, root's).</li>
 *   <li>A master running as root whose workers would run as root refuses to start them unless that is asked for
 *       explicitly ({@code imperium-allow-root = true}, or {@code IMPERIUM_ALLOW_ROOT=1} in the environment, for
 *       containers); uWSGI only logs {@code uWSGI running as root, you can use --uid/--gid/--chroot options}.</li>
 * </ul>
 * As in uWSGI, {@code uid} and {@code gid} are ignored when the master is not root.
 *
 * @param uid the user id workers run as, or -1 to keep the master's
 * @param gid the group id, or -1 to keep the master's
 * @param userName the user's name (its groups become the supplementary groups, as {@code initgroups(3)}), or null
 *     (no supplementary groups)
 * @param allowRoot running workers as root was asked for explicitly
 */
public record PrivilegeDrop(int uid, int gid, String userName, boolean allowRoot) {
    /** The environment variable that allows root workers for every vassal of a process tree. */
    public static final String ENV_ALLOW_ROOT = "IMPERIUM_ALLOW_ROOT";

    /**
     * Reads {@code uid}, {@code gid}, {@code no-initgroups} and {@code imperium-allow-root}, looking the names up.
     *
     * @throws IllegalArgumentException {@code user www-data not found.} / {@code group X not found.} (uWSGI's words)
     */
    public static PrivilegeDrop from(VassalConfig config) {
        int uid = -1;
        int gid = -1;
        String userName = null;
        if (config.isSet("uid")) {
            Credentials.Id user = Credentials.user(config.values("uid").getLast());
            uid = user.id();
            userName = user.name();
            gid = Credentials.primaryGroup(uid);
        }
        if (config.isSet("gid")) {
            gid = Credentials.group(config.values("gid").getLast()).id();
        }
        if (config.flag("no-initgroups")) {
            userName = null;
        }
        String env = System.getenv(ENV_ALLOW_ROOT);
        boolean allowRoot = config.flag("imperium-allow-root")
                || env != null && (env.equals("1") || env.equalsIgnoreCase("true") || env.equalsIgnoreCase("yes"));
        return new PrivilegeDrop(uid, gid, userName, allowRoot);
    }

    /** Returns true if a process running as {@code euid} changes its user or group. */
    public boolean drops(int euid) {
        return euid == 0 && (uid > 0 || gid > 0);
    }

    /**
     * Checks, in the master, that its workers may start.
     *
     * @param euid the master's effective user id
     * @return the problem, or null when the workers may start
     */
    public String refusal(int euid) {
        if (euid != 0 || uid > 0 || allowRoot) {
            return null;
        }
        return "refusing to run workers as root: set uid and gid (e.g. uid = www-data), or set"
                + " imperium-allow-root = true (or " + ENV_ALLOW_ROOT + "=1 in the environment) to run them as root on"
                + " purpose";
    }

    /**
     * Returns the lines the master logs before its workers drop privileges, in uWSGI's words ({@code setgid() to 33},
     * {@code setuid() to 33}), or a note that the options are ignored when the master is not root.
     */
    public List<String> logLines(int euid) {
        List<String> lines = new ArrayList<>();
        if (uid < 0 && gid < 0) {
            return lines;
        }
        if (euid != 0) {
            lines.add("uid/gid ignored: the vassal does not run as root");
            return lines;
        }
        if (gid >= 0) {
            lines.add("setgid() to " + gid);
        }
        if (uid >= 0) {
            lines.add("setuid() to " + uid);
        }
        return lines;
    }

    /**
     * Drops this process (a worker or router) to the configured user and group, when running as root. A credential
     * change clears the parent-death signal ({@code prctl(2)}), so it is set again (SIGKILL, as at start).
     *
     * @throws IllegalStateException naming the failed call
     */
    public void apply() {
        if (drops(Credentials.effectiveUid())) {
            Credentials.drop(uid, gid, userName);
            Posix.setParentDeathSignal(Posix.SIGKILL);
        }
    }

    /** Returns the router's command-line options that make it drop to the same user ({@code RouterMain}). */
    public List<String> routerArguments() {
        return List.of("--uid", Integer.toString(uid), "--gid", Integer.toString(gid),
                "--user", userName == null ? "" : userName);
    }
}
