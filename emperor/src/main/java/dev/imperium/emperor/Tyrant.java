package dev.imperium.emperor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * uWSGI's tyrant mode ({@code emperor-tyrant}; uwsgi-docs "The uWSGI Emperor", "Tyrant mode"; uwsgi-features.md
 * §1.11): each vassal runs as the user and group that own its file, so that users may drop their own vassal files
 * without being able to run anything as anybody else.
 *
 * <p>As in uWSGI 2.0 ({@code core/emperor.c emperor_add}), a file owned by uid 0 or by gid 0 is refused (logged
 * {@code [emperor-tyrant] invalid permissions for vassal X}); Imperium logs that once per version of the file instead
 * of at every scan. Imperium adds {@code emperor-tyrant-allow-root}: a file owned by root (uid 0) then runs as the
 * emperor's own user, as without tyrant mode, for vassals the administrator keeps; a file of another user whose group
 * is root is still refused (chgrp it). The owner is the file's ({@code stat}), or the symbolic link's with
 * {@code emperor-tyrant-nofollow} ({@code lstat}).
 *
 * <p>The whole vassal, its master included, runs as that user: the emperor starts it through {@code setpriv(1)}
 * (util-linux) with {@code --reuid --regid --clear-groups}, as uWSGI's child calls {@code setgid}, {@code
 * setgroups(0)} and {@code setuid} before its {@code exec}. Nothing of the vassal runs as root.
 *
 * @param enabled {@code emperor-tyrant}
 * @param nofollow {@code emperor-tyrant-nofollow}: the owner of a symbolic link, not of its target
 * @param allowRoot {@code emperor-tyrant-allow-root} (Imperium's): run root-owned files as the emperor's user
 */
public record Tyrant(boolean enabled, boolean nofollow, boolean allowRoot) {
    /** Tyrant mode off: every vassal runs as the emperor's user. */
    public static final Tyrant OFF = new Tyrant(false, false, false);
    /** The program that changes user and group before running the vassal. */
    static final String SETPRIV = "setpriv";
    /** The file name of the program that changes user (for the foreign-vassal launcher; issue 7: scale). */
    public static final String SETPRIV_NAME = SETPRIV;

    /** What tyrant mode decides for one vassal file. */
    public sealed interface Decision permits RunAs, AsEmperor, Refused {
    }

    /**
     * Run the vassal as this user and group.
     *
     * @param uid the user id, not 0
     * @param gid the group id, not 0
     */
    public record RunAs(int uid, int gid) implements Decision {
    }

    /** Run the vassal as the emperor's own user (tyrant mode off, or a root-owned file that is allowed). */
    public record AsEmperor() implements Decision {
    }

    /**
     * Do not run it.
     *
     * @param reason why, for the log
     */
    public record Refused(String reason) implements Decision {
    }

    private static final AsEmperor AS_EMPEROR = new AsEmperor();

    /**
     * Decides who runs a vassal file owned by {@code owner}.
     *
     * @param owner the file's owner ({@link FileStamp#owner()}), null when it could not be read
     * @return {@link AsEmperor} when tyrant mode is off
     */
    public Decision decide(FileStamp.Owner owner) {
        if (!enabled) {
            return AS_EMPEROR;
        }
        if (owner == null) {
            return new Refused("its owner cannot be read");
        }
        if (owner.uid() == 0) {
            return allowRoot ? AS_EMPEROR : new Refused("the file is owned by root (uid 0): chown it to the user it"
                    + " should run as (or set emperor-tyrant-allow-root to run root's files as the emperor's user)");
        }
        if (owner.gid() == 0) {
            return new Refused("the file's group is root (gid 0): chgrp it to the vassal's group");
        }
        return new RunAs(owner.uid(), owner.gid());
    }

    /**
     * Returns whether a change of owner means the vassal must be stopped and started again as the new owner (a
     * reload keeps its processes, and their user).
     *
     * @param before the stamp the vassal runs with, or null
     * @param after the new stamp
     */
    public boolean ownerChanged(FileStamp before, FileStamp after) {
        return enabled && before != null && after != null && !java.util.Objects.equals(before.owner(), after.owner());
    }

    /**
     * Returns the command that runs {@code command} as {@code as}: {@code setpriv --reuid=UID --regid=GID
     * --clear-groups -- COMMAND...}.
     *
     * @param setpriv the setpriv program
     * @param as the user and group
     * @param command the vassal command line
     */
    public static List<String> runAs(String setpriv, RunAs as, List<String> command) {
        List<String> wrapped = new java.util.ArrayList<>(List.of(setpriv, "--reuid=" + as.uid(), "--regid=" + as.gid(),
                "--clear-groups", "--"));
        wrapped.addAll(command);
        return List.copyOf(wrapped);
    }

    /**
     * Finds {@code setpriv} on {@code path} (a {@code PATH} value), then in {@code /usr/bin} and {@code /bin}.
     *
     * @return its absolute path, or null when there is none
     */
    public static String findSetpriv(String path) {
        List<String> dirs = new java.util.ArrayList<>();
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, SETPRIV);
            if (candidate.isAbsolute() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
