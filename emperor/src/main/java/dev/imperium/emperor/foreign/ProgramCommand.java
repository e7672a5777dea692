package dev.imperium.emperor.foreign;

import dev.imperium.vassal.PrivilegeDrop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts one program of a command vassal (emperor/README.md "Command vassals"). Pure: words
 * in, words out.
 *
 * <p>A program that gets sockets runs through {@link ListenFdsExec} (a short-lived JVM that puts the sockets at
 * descriptors 3.. and replaces itself with the program). A program without sockets needs none of that: it runs as
 * {@code setsid setpriv --pdeathsig KILL -- PROGRAM}, both util-linux programs that replace themselves with the next
 * ({@code execvp}), so the pid stays the program's, it leads its own session and process group, and it gets SIGKILL
 * when the emperor dies, as through the helper, for the cost of two execs instead of a JVM start (what makes a
 * thousand such vassals start in seconds).
 *
 * <p>With {@code uid}/{@code gid} in the vassal file and an emperor running as root, the program runs as that user
 * and group: {@code setpriv --reuid=UID --regid=GID --init-groups} (the user's groups, as uWSGI's
 * {@code initgroups}; {@code --clear-groups} with {@code no-initgroups} or a user without a name), as tyrant mode
 * does for Imperium vassals. Through the helper, the helper replaces itself with {@code setpriv}, which replaces
 * itself with the program: the pid, and {@code LISTEN_PID}, stay the same.
 */
final class ProgramCommand {
    private ProgramCommand() {
    }

    /**
     * Returns the {@code setpriv} options that make a program run as {@code user}, or none when it keeps the
     * emperor's user ({@code user} null or empty, or the emperor not root: uWSGI ignores {@code uid}/{@code gid}
     * when not root).
     *
     * @param user the file's {@code uid}/{@code gid}, or null
     * @param euid the emperor's effective user id
     */
    static List<String> privilegeOptions(PrivilegeDrop user, int euid) {
        if (user == null || !user.drops(euid)) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        if (user.uid() >= 0) {
            options.add("--reuid=" + user.uid());
        }
        if (user.gid() >= 0) {
            options.add("--regid=" + user.gid());
        }
        options.add(user.userName() != null && user.uid() >= 0 ? "--init-groups" : "--clear-groups");
        return List.copyOf(options);
    }

    /**
     * Returns the command that runs a program without sockets: {@code setsid setpriv [PRIVILEGES] --pdeathsig KILL
     * -- PROGRAM...}.
     *
     * @param setsid the setsid program
     * @param setpriv the setpriv program
     * @param privileges {@link #privilegeOptions}
     * @param program the program and its arguments
     */
    static List<String> direct(String setsid, String setpriv, List<String> privileges, List<String> program) {
        List<String> command = new ArrayList<>();
        command.add(setsid);
        command.add(setpriv);
        command.addAll(privileges);
        command.add("--pdeathsig");
        command.add("KILL"); // after the credential change, which clears it (setpriv applies it last)
        command.add("--");
        command.addAll(program);
        return List.copyOf(command);
    }

    /**
     * Returns what {@link ListenFdsExec} replaces itself with: the program, or {@code setpriv PRIVILEGES --pdeathsig
     * KILL -- PROGRAM...} when it changes user.
     *
     * @param setpriv the setpriv program (used only with privileges)
     * @param privileges {@link #privilegeOptions}
     * @param program the program and its arguments
     */
    static List<String> throughHelper(String setpriv, List<String> privileges, List<String> program) {
        if (privileges.isEmpty()) {
            return List.copyOf(program);
        }
        List<String> command = new ArrayList<>();
        command.add(setpriv);
        command.addAll(privileges);
        command.add("--pdeathsig");
        command.add("KILL");
        command.add("--");
        command.addAll(program);
        return List.copyOf(command);
    }

    /**
     * Tells why {@code program} cannot be run, as {@code execvp(3)} would find out, or null when it can: a word with
     * a {@code /} is a path (relative to {@code dir}), a bare name is looked up on {@code path}.
     *
     * @param program the program word
     * @param dir the program's working directory
     * @param path the program's {@code PATH}
     * @return {@code cannot run WORD: No such file or directory} (or {@code Permission denied}), or null
     */
    static String cannotRun(String program, Path dir, String path) {
        if (program.contains("/")) {
            Path p = dir.resolve(program);
            if (!Files.exists(p)) {
                return "cannot run " + program + ": No such file or directory";
            }
            if (Files.isDirectory(p) || !Files.isExecutable(p)) {
                return "cannot run " + program + ": Permission denied";
            }
            return null;
        }
        return UwsgiVassal.findOnPath(program, path) == null
                ? "cannot run " + program + ": No such file or directory (not on the PATH)" : null;
    }
}
