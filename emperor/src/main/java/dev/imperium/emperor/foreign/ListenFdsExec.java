package dev.imperium.emperor.foreign;

import dev.imperium.control.EmperorMessage;
import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * Runs a command vassal's program with the sockets the emperor bound, in systemd's socket-activation convention
 * ({@code sd_listen_fds(3)}): the sockets are descriptors 3, 4, ... of the program, {@code LISTEN_FDS} says how many,
 * {@code LISTEN_PID} is the program's own pid, {@code LISTEN_FDNAMES} names them.
 *
 * <p>The emperor cannot do this itself: {@code ProcessBuilder} closes every descriptor above 2 in a child and cannot
 * know the child's pid before its exec (java-platform-notes.md §1). So the emperor starts this small program, which
 * receives the sockets over {@code IMPERIUM_LISTEN_PROXY} ({@link FdProxy}), puts them in place and replaces itself
 * with the program ({@code execvpe(3)}): the pid stays, so {@code LISTEN_PID} is this process's pid. Before that it
 * starts a new session (the program leads its process group, which the emperor signals) and asks for SIGKILL when
 * the emperor dies ({@code PR_SET_PDEATHSIG}, kept across the exec).
 *
 * <p>The connection to the emperor is close-on-exec: the emperor sees it end when the exec succeeded; when the exec
 * fails, this program writes why on it first, and exits with 127 as a shell does.
 *
 * <p>Usage: {@code ListenFdsExec PROGRAM [ARGS...]}, with {@code IMPERIUM_LISTEN_PROXY} and
 * {@code IMPERIUM_LISTEN_FDNAMES} in the environment.
 */
public final class ListenFdsExec {
    /** Environment variable: the {@link FdProxy} socket to get the sockets from. */
    static final String ENV_PROXY = "IMPERIUM_LISTEN_PROXY";
    /** Environment variable: the sockets' names, {@code :}-separated, for {@code LISTEN_FDNAMES}. */
    static final String ENV_NAMES = "IMPERIUM_LISTEN_FDNAMES";
    /** Environment variable: how many sockets come; 0 for a program that binds its own. */
    static final String ENV_COUNT = "IMPERIUM_LISTEN_COUNT";
    /** The first descriptor of the sockets, as systemd's {@code SD_LISTEN_FDS_START}. */
    static final int FIRST_FD = 3;
    /** Exit code when the program cannot be run, as a shell's. */
    static final int EXIT_CANNOT_RUN = 127;
    /** The first byte the emperor reads when the exec failed; the reason follows. */
    static final byte FAILED = 'F';

    private ListenFdsExec() {
    }

    /**
     * Returns the program's environment: this process's minus the emperor's private variables, plus
     * {@code LISTEN_FDS}, {@code LISTEN_PID} and {@code LISTEN_FDNAMES} (systemd's {@code sd_listen_fds(3)}).
     *
     * @param inherited this process's environment
     * @param count how many sockets
     * @param pid the pid the program will have (this process's)
     * @return the environment, in order
     */
    static Map<String, String> environment(Map<String, String> inherited, int count, int pid) {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        String names = env.remove(ENV_NAMES);
        env.remove(ENV_PROXY);
        env.remove(ENV_COUNT);
        env.remove(EmperorMessage.ENV_SOCKET);
        env.remove(EmperorMessage.ENV_TOKEN);
        env.remove(EmperorMessage.ENV_EMPEROR_PID);
        if (count == 0) { // no sockets: nothing of socket activation, not even inherited variables
            env.remove("LISTEN_FDS");
            env.remove("LISTEN_PID");
            env.remove("LISTEN_FDNAMES");
            return env;
        }
        env.put("LISTEN_FDS", Integer.toString(count));
        env.put("LISTEN_PID", Integer.toString(pid));
        if (names != null && !names.isEmpty()) {
            env.put("LISTEN_FDNAMES", names);
        } else {
            env.remove("LISTEN_FDNAMES");
        }
        return env;
    }

    /**
     * Receives the sockets, puts them at descriptors 3.., and executes the program.
     *
     * @param args the program and its arguments
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            fail(-1, "usage: ListenFdsExec PROGRAM [ARGS...]");
        }
        Posix.setsid();
        Posix.setParentDeathSignal(Posix.SIGKILL);
        String emperorPid = System.getenv(EmperorMessage.ENV_EMPEROR_PID);
        if (emperorPid != null && !emperorPid.equals(Integer.toString(Posix.getppid()))) {
            fail(-1, "the emperor (pid " + emperorPid + ") is gone");
        }
        String proxy = System.getenv(ENV_PROXY);
        if (proxy == null) {
            fail(-1, ENV_PROXY + " is not set: this program is started by the emperor");
        }
        int conn = Native.connectUnix(proxy);
        if (conn < 0) {
            fail(-1, "cannot connect to " + proxy + " (errno " + -conn + ")");
        }
        int[] received;
        if ("0".equals(System.getenv(ENV_COUNT))) {
            received = new int[0]; // a program that binds its own sockets: only wait for the go
            if (Native.read(conn, new byte[1]) != 1) {
                fail(conn, "the emperor hung up");
            }
        } else {
            try {
                received = FdPassing.receive(conn, FdPassing.MAX_FDS);
            } catch (SocketFds.SocketError e) {
                fail(conn, "cannot receive the sockets: " + e.getMessage());
                return;
            }
            if (received.length == 0) {
                fail(conn, "the emperor sent no sockets");
            }
        }
        int n = received.length;
        int above = FIRST_FD + n;
        // Copies above the target range (close-on-exec), so that placing one cannot overwrite another.
        int[] copies = new int[n];
        for (int i = 0; i < n; i++) {
            copies[i] = Native.dupAtLeast(received[i], above);
            if (copies[i] < 0) {
                fail(conn, "cannot duplicate a socket (errno " + -copies[i] + ")");
            }
        }
        int report = Native.dupAtLeast(conn, above); // the connection survives the placing, and closes at exec
        for (int fd : received) {
            Posix.close(fd);
        }
        Posix.close(conn);
        Map<String, String> env = environment(System.getenv(), n, Native.getpid());
        Arena arena = Arena.global();
        MemorySegment file = arena.allocateFrom(args[0]);
        MemorySegment argv = strings(arena, List.of(args));
        List<String> envp = new ArrayList<>(env.size());
        env.forEach((k, v) -> envp.add(k + "=" + v));
        MemorySegment envv = strings(arena, envp);
        MemorySegment state = Native.state(arena);
        MemorySegment empty = arena.allocateFrom("");
        String failedExec = "cannot run " + args[0] + ": ";
        try {
            // Link every call once before the descriptors move: from the first dup2 on, this JVM's own files
            // (its jars) may be gone from their numbers, so nothing after it may load a class of Imperium's.
            int ignored = (int) Native.DUP2_RAW.invokeExact(-1, -1);
            ignored = (int) Native.EXECVPE.invokeExact(state, empty, argv, envv);
            ignored = Native.closeOnExecFrom(Integer.MAX_VALUE);
            errnoText(Native.result(ignored - 1, state));
            for (int i = 0; i < n; i++) {
                if ((int) Native.DUP2_RAW.invokeExact(copies[i], FIRST_FD + i) < 0) { // clears close-on-exec
                    failNow(report, "cannot place the sockets at descriptors 3..");
                }
            }
            Native.closeOnExecFrom(above); // nothing else of this JVM reaches the program
            int r = (int) Native.EXECVPE.invokeExact(state, file, argv, envv);
            failNow(report, failedExec.concat(errnoText(Native.result(r, state))));
        } catch (Throwable t) {
            failNow(report, failedExec.concat(String.valueOf(t)));
        }
    }

    /** The reason of a failed {@code execvpe}, for the emperor's log. */
    private static String errnoText(int negativeErrno) {
        return switch (-negativeErrno) {
            case 2 -> "No such file or directory";
            case 13 -> "Permission denied";
            case 8 -> "Exec format error";
            default -> "errno ".concat(Integer.toString(-negativeErrno));
        };
    }

    /** A NULL-terminated {@code char *[]}. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /**
     * {@link #fail} for after the descriptors moved: no string concatenation bootstraps and no class of Imperium's
     * that is not loaded yet.
     */
    private static void failNow(int emperor, String why) {
        byte[] text = "imperium: ".concat(why).concat("\n").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[text.length + 1];
        message[0] = FAILED;
        System.arraycopy(text, 0, message, 1, text.length);
        Native.write(emperor, message);
        Native.write(2, text);
        Native.exit(EXIT_CANNOT_RUN);
    }

    /** Reports why the program cannot run (to the emperor when connected, and to stderr) and exits with 127. */
    private static void fail(int emperor, String why) {
        byte[] text = ("imperium: " + why + "\n").getBytes(StandardCharsets.UTF_8);
        if (emperor >= 0) {
            byte[] message = new byte[text.length + 1];
            message[0] = FAILED;
            System.arraycopy(text, 0, message, 1, text.length);
            Native.write(emperor, message);
        }
        Native.write(2, text);
        Posix.exitNow(EXIT_CANNOT_RUN);
    }
}
