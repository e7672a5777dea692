package dev.imperium.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls a supervisor needs and the JDK does not offer, made through the FFM API.
 *
 * <p>Every call returns the libc result, or {@code -errno} on failure, and never throws for an OS error.
 * The JVM must run with {@code --enable-native-access=ALL-UNNAMED} (the launch scripts pass it), otherwise
 * Java 25 prints a "restricted method" warning on first use.
 */
public final class Posix {
    /** {@code SIGHUP}: graceful reload. */
    public static final int SIGHUP = 1;
    /** {@code SIGINT}: brutal stop in a vassal, graceful stop in the emperor. */
    public static final int SIGINT = 2;
    /** {@code SIGQUIT}: reserved by the JVM for thread dumps. */
    public static final int SIGQUIT = 3;
    /** {@code SIGKILL}. */
    public static final int SIGKILL = 9;
    /** {@code SIGUSR1}. */
    public static final int SIGUSR1 = 10;
    /** {@code SIGUSR2}. */
    public static final int SIGUSR2 = 12;
    /** {@code SIGTERM}: graceful stop. */
    public static final int SIGTERM = 15;
    /** {@code ESRCH}: no such process. */
    public static final int ESRCH = 3;
    /** {@code EINVAL}: an invalid argument (also what {@link #kill} returns for a pid it refuses). */
    public static final int EINVAL = 22;

    /**
     * System property naming the directory a JVM writes its AOT cache to ({@code -XX:AOTCacheOutput}), when it was
     * started to record one.
     */
    public static final String AOT_RECORD_PROPERTY = "imperium.aot.record";

    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_SET_NAME = 15;
    private static final int PR_SET_CHILD_SUBREAPER = 36;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // Each downcall handle lives in its own holder class, so a process links only the functions it calls:
    // linking one costs several milliseconds of start-up (bytecode spinning), and a worker needs three.
    private static final class Kill {
        static final MethodHandle H = downcall("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Prctl {
        static final MethodHandle H = downcall("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    }

    private static final class GetPpid {
        static final MethodHandle H = downcall("getppid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class Setsid {
        static final MethodHandle H = downcall("setsid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class GetPgid {
        static final MethodHandle H = downcall("getpgid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Dup2 {
        static final MethodHandle H = downcall("dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Close {
        static final MethodHandle H = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Umask {
        static final MethodHandle H = downcall("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Open {
        static final MethodHandle H = downcall("open",
            FunctionDescriptor.of(JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    }

    private static final class Mkfifo {
        static final MethodHandle H = downcall("mkfifo",
            FunctionDescriptor.of(JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS, JAVA_INT));
    }

    private static final class Exit {
        static final MethodHandle H = LINKER.downcallHandle(
            LINKER.defaultLookup().find("_exit").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_INT));
    }

    private static final class Signal {
        static final MethodHandle H = downcall("signal",
            FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS, JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS));
    }

    private static final class GetUid {
        static final MethodHandle H = downcall("getuid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class GetGid {
        static final MethodHandle H = downcall("getgid", FunctionDescriptor.of(JAVA_INT));
    }

    private Posix() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /**
     * Tells whether {@link #kill} may signal {@code pid}: one process or group other than init and the caller's own
     * group, within the kernel's pid range.
     */
    static boolean signalTarget(long pid) {
        long magnitude = Math.abs(pid);
        return magnitude > 1 && magnitude <= Integer.MAX_VALUE;
    }

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -(int) ERRNO.get(state, 0L);
    }

    /**
     * Sends a signal, as {@code kill(2)}.
     *
     * <p>Never signals "every process" ({@code -1}), the caller's own group ({@code 0}), init ({@code 1}, {@code -1})
     * or a pid outside the kernel's range: such a {@code pid} is a bug upstream (as root, {@code kill(-1, ...)} would
     * reach every process on the host), so this returns {@code -EINVAL} without a system call.
     *
     * @param pid a process id, or {@code -pgid} for a whole process group
     * @param signal the signal number (see the constants)
     * @return 0, or {@code -errno} ({@code -ESRCH} when no such process exists, {@code -EINVAL} for a refused pid)
     */
    public static int kill(long pid, int signal) {
        if (!signalTarget(pid)) {
            return -EINVAL;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return result((int) Kill.H.invokeExact(state, (int) pid, signal), state);
        } catch (Throwable t) {
            throw new IllegalStateException("kill failed", t);
        }
    }

    /**
     * Asks the kernel to send {@code signal} to this process when the thread that forked it exits
     * ({@code prctl(PR_SET_PDEATHSIG)}).
     *
     * <p>The "parent" is the forking <em>thread</em>: spawn children only from a thread that lives as long as they
     * do. Call {@link #getppid()} afterwards and compare with the expected parent to close the race where the parent
     * died before this call.
     *
     * @return 0, or {@code -errno}
     */
    public static int setParentDeathSignal(int signal) {
        return prctl(PR_SET_PDEATHSIG, signal);
    }

    /**
     * Makes this process the reaper of its orphaned descendants ({@code prctl(PR_SET_CHILD_SUBREAPER)}).
     *
     * @return 0, or {@code -errno}
     */
    public static int setChildSubreaper() {
        return prctl(PR_SET_CHILD_SUBREAPER, 1);
    }

    /**
     * Sets the name of the calling thread as shown by {@code ps -L} and {@code top -H} (15 bytes at most).
     *
     * @return 0, or {@code -errno}
     */
    public static int setThreadName(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment str = arena.allocateFrom(name.length() > 15 ? name.substring(0, 15) : name);
            return result((int) Prctl.H.invokeExact(state, PR_SET_NAME, str.address(), 0L, 0L, 0L), state);
        } catch (Throwable t) {
            throw new IllegalStateException("prctl failed", t);
        }
    }

    private static int prctl(int option, long arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return result((int) Prctl.H.invokeExact(state, option, arg, 0L, 0L, 0L), state);
        } catch (Throwable t) {
            throw new IllegalStateException("prctl failed", t);
        }
    }

    /** Returns the parent process id, as {@code getppid(2)}. */
    public static int getppid() {
        return simple(GetPpid.H);
    }

    /**
     * Starts a new session with this process as leader and sole member of a new process group ({@code setsid(2)}).
     *
     * @return the new session id (= this pid), or {@code -errno} ({@code -EPERM} if already a group leader)
     */
    public static int setsid() {
        return simple(Setsid.H);
    }

    /**
     * Returns the process group of {@code pid} (0 = this process), or {@code -errno}.
     */
    public static int getpgid(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return result((int) GetPgid.H.invokeExact(state, (int) pid), state);
        } catch (Throwable t) {
            throw new IllegalStateException("getpgid failed", t);
        }
    }

    /**
     * Duplicates {@code oldFd} onto {@code newFd}, as {@code dup2(2)}.
     *
     * @return {@code newFd}, or {@code -errno}
     */
    public static int dup2(int oldFd, int newFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return result((int) Dup2.H.invokeExact(state, oldFd, newFd), state);
        } catch (Throwable t) {
            throw new IllegalStateException("dup2 failed", t);
        }
    }

    /**
     * Closes a raw file descriptor, as {@code close(2)}.
     *
     * @return 0, or {@code -errno}
     */
    public static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return result((int) Close.H.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }

    /**
     * Sets the process file-mode creation mask, as {@code umask(2)}.
     *
     * @param mask the new mask, e.g. {@code 0022}
     * @return the previous mask
     */
    public static int umask(int mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return (int) Umask.H.invokeExact(state, mask);
        } catch (Throwable t) {
            throw new IllegalStateException("umask failed", t);
        }
    }

    /**
     * Opens {@code path} for appending, creating it with mode 0644 if needed ({@code open(2)} with
     * {@code O_WRONLY|O_CREAT|O_APPEND}); the fd is inherited by children.
     *
     * @return the new fd, or {@code -errno}
     */
    public static int openAppend(String path) {
        final int oWronly = 1;
        final int oCreat = 0100;
        final int oAppend = 02000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment str = arena.allocateFrom(path);
            return result((int) Open.H.invokeExact(state, str, oWronly | oCreat | oAppend, 0644), state);
        } catch (Throwable t) {
            throw new IllegalStateException("open failed", t);
        }
    }

    /**
     * Ends the process at once with {@code code}, as {@code _exit(2)}: no shutdown hooks, no JVM tear-down.
     *
     * <p>A normal JVM exit waits up to 300 ms for threads blocked in native I/O (HotSpot's {@code VM_Exit}); a
     * supervisor that has flushed its output and released its resources can skip that. Flushes
     * {@code System.out} and {@code System.err} first.
     *
     * <p>In a JVM that records an AOT cache (system property {@value #AOT_RECORD_PROPERTY} set, see
     * {@code lib/launcher.sh}) it exits through {@link Runtime#halt} instead: {@code _exit} would skip the JVM's
     * exit hooks, and with them the writing of the cache.
     *
     * @param code the exit status, 0..255
     */
    public static void exitNow(int code) {
        System.out.flush();
        System.err.flush();
        if (System.getProperty(AOT_RECORD_PROPERTY) != null) {
            Runtime.getRuntime().halt(code);
        }
        try {
            Exit.H.invokeExact(code);
        } catch (Throwable t) {
            Runtime.getRuntime().halt(code);
        }
        Runtime.getRuntime().halt(code);
    }

    /**
     * Opens {@code path} read-only and close-on-exec ({@code open(2)} with {@code O_RDONLY|O_CLOEXEC}).
     *
     * @return the new fd, or {@code -errno}
     */
    public static int openReadOnly(String path) {
        final int oCloexec = 02000000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment str = arena.allocateFrom(path);
            return result((int) Open.H.invokeExact(state, str, oCloexec, 0), state);
        } catch (Throwable t) {
            throw new IllegalStateException("open failed", t);
        }
    }

    /**
     * Creates a named pipe, as {@code mkfifo(3)}; the process umask applies to {@code mode}.
     *
     * @param path the FIFO's path
     * @param mode its permissions, e.g. {@code 0600}
     * @return 0, or {@code -errno} ({@code -EEXIST} when the path exists)
     */
    public static int mkfifo(String path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment str = arena.allocateFrom(path);
            return result((int) Mkfifo.H.invokeExact(state, str, mode), state);
        } catch (Throwable t) {
            throw new IllegalStateException("mkfifo failed", t);
        }
    }

    /**
     * Sets the disposition of {@code signal} back to the default ({@code signal(2)} with {@code SIG_DFL}).
     *
     * <p>A signal ignored by the parent stays ignored across {@code exec} ({@code nohup} ignores SIGHUP; a shell's
     * background job ignores SIGINT), and the JVM silently refuses a handler for an ignored SIGHUP, SIGINT or SIGTERM.
     *
     * @return 0, or {@code -errno}
     */
    public static int resetSignal(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment previous = (MemorySegment) Signal.H.invokeExact(state, signal, MemorySegment.NULL);
            return previous.address() == -1L ? -(int) ERRNO.get(state, 0L) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("signal failed", t);
        }
    }

    /** Returns the real user id of this process. */
    public static int getuid() {
        return simple(GetUid.H);
    }

    /** Returns the real group id of this process. */
    public static int getgid() {
        return simple(GetGid.H);
    }

    private static int simple(MethodHandle handle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return result((int) handle.invokeExact(state), state);
        } catch (Throwable t) {
            throw new IllegalStateException("libc call failed", t);
        }
    }
}
