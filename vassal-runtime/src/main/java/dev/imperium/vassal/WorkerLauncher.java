package dev.imperium.vassal;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.WorkerMessage;
import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts worker JVMs with the listening socket as their fd 0; with several sockets, fd 0 is one end of a socket
 * pair over which the sockets are sent right after the start ({@code SCM_RIGHTS}, {@link FdPassing}), and the worker
 * learns their protocols, in order, from {@link WorkerMessage#ENV_PROTOCOLS}.
 *
 * <p>Every start runs on one dedicated platform thread that lives as long as the master: a worker's
 * {@code PR_SET_PDEATHSIG} fires when the <em>thread</em> that forked it ends, so forking from pooled or virtual
 * threads would kill workers at random (java-platform-notes §2c). The socket reaches the child through the master's
 * own fd 0: {@code dup2(socket, 0)}, {@code Redirect.INHERIT}, then fd 0 goes back to {@code /dev/null} so that the
 * master holds no second copy of a socket it may close later; only this thread touches fd 0.
 */
final class WorkerLauncher implements AutoCloseable {
    /** Flags for worker JVMs before the vassal's own {@code jvm-opt}s (which may override them). */
    static final List<String> DEFAULT_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-XX:+UseCompactObjectHeaders",
            // no /tmp/hsperfdata_<user>/<pid> file: a worker ends with _exit (or changes its user) and would leave
            // it behind; jcmd still attaches by pid
            "-XX:+PerfDisableSharedMem",
            "-Xms8m",
            "--enable-native-access=ALL-UNNAMED");

    /** System property naming the directory of the installed AOT caches (set by {@code lib/launcher.sh}). */
    static final String AOT_PROPERTY = "imperium.aot";
    private static final String VASSAL_AOT = "vassal.aot";

    private final ExecutorService spawner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "worker-spawner");
        t.setDaemon(true);
        return t;
    });
    private final Path controlSocket;
    private final long masterPid = ProcessHandle.current().pid();
    private final int devNull;

    /** Reads the workers' and routers' output into the vassal's log (Logging, issue 6); null: they inherit it. */
    private volatile VassalLogging logging;

    WorkerLauncher(Path controlSocket) {
        this.controlSocket = controlSocket;
        this.devNull = Posix.openReadOnly("/dev/null");
        if (devNull < 0) {
            throw new IllegalStateException("cannot open /dev/null (errno " + -devNull + ")");
        }
    }

    /**
     * Pipes the standard output and error of the workers and routers started from now on to the master, which
     * writes them to the vassal's log ({@link VassalLogging#collect}).
     */
    void collectOutputWith(VassalLogging logging) {
        this.logging = logging;
    }

    /**
     * Starts one worker, asynchronously on the spawner thread.
     *
     * @param handle the worker's record (id, generation, token)
     * @param workDir the worker's working directory ({@code chdir})
     * @return the started process, or a failed future if the JVM could not be started
     */
    CompletableFuture<Process> start(WorkerHandle handle, Path workDir) {
        VassalSettings settings = handle.generation.settings;
        List<String> command = command(settings, WorkerMain.class.getName(), List.of(Integer.toString(handle.id),
                Integer.toString(handle.generation.number), Long.toString(masterPid)));
        int[] socketFds = handle.generation.sockets.stream().mapToInt(ListenSocket::fd).toArray();
        Map<String, String> env = new LinkedHashMap<>(settings.env());
        env.put(WorkerMessage.ENV_SOCKET, controlSocket.toString());
        env.put(WorkerMessage.ENV_TOKEN, handle.token);
        env.put(WorkerMessage.ENV_WORKER_ID, Integer.toString(handle.id));
        env.put(WorkerMessage.ENV_PROTOCOLS,
                String.join(",", handle.generation.sockets.stream().map(s -> s.spec().protocol().wireName()).toList()));
        env.put(WorkerMessage.ENV_SCOREBOARD, handle.scoreboardFile == null ? null
                : handle.scoreboardFile.toString());
        env.put(VassalConfigSource.ENV_RELOADS, Integer.toString(handle.generation.number - 1));
        return CompletableFuture.supplyAsync(() -> launch(command, socketFds, env, workDir, "worker"), spawner);
    }

    /**
     * Starts one {@code http} router process ({@link dev.imperium.router.RouterMain}) with the public socket as its
     * fd 0, asynchronously on the spawner thread.
     *
     * @param id the router's number (1..{@code http-processes})
     * @param sockets the public HTTP sockets (one is the router's fd 0; several are sent over a socket pair)
     * @param arguments the router's options ({@link RouterSettings#arguments})
     * @param settings the vassal's settings (JVM options, environment)
     * @param workDir the working directory
     * @return the started process, or a failed future if the JVM could not be started
     */
    CompletableFuture<Process> startRouter(int id, List<ListenSocket> sockets, List<String> arguments,
            VassalSettings settings, Path workDir) {
        List<String> args = new ArrayList<>(List.of(Integer.toString(id), Long.toString(masterPid)));
        args.addAll(arguments);
        List<String> command = command(settings, "dev.imperium.router.RouterMain", args);
        Map<String, String> env = new LinkedHashMap<>(settings.env());
        env.put(WorkerMessage.ENV_SOCKET, null);
        env.put(WorkerMessage.ENV_TOKEN, null);
        env.put(WorkerMessage.ENV_SCOREBOARD, null);
        int[] fds = sockets.stream().mapToInt(ListenSocket::fd).toArray();
        return CompletableFuture.supplyAsync(() -> launch(command, fds, env, workDir, "router"), spawner);
    }

    /**
     * Starts an external command ({@code attach-daemon} and kin, see {@link AttachedDaemons}) on the spawner thread,
     * so that a parent-death signal it sets stays tied to the master's life. Its stdout and stderr are the master's
     * (the vassal's log); the emperor's control variables are removed from its environment.
     *
     * @param command the command line
     * @param workDir its working directory
     * @param extraEnv variables to add (the vassal's {@code env})
     * @param inheritStdin keep the master's stdin; otherwise {@code /dev/null}
     * @return the started process, or a failed future if it could not be started
     */
    CompletableFuture<Process> startDaemon(List<String> command, Path workDir, Map<String, String> extraEnv,
            boolean inheritStdin) {
        return CompletableFuture.supplyAsync(() -> {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(inheritStdin ? ProcessBuilder.Redirect.INHERIT
                            : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            Map<String, String> env = builder.environment();
            env.remove(EmperorMessage.ENV_SOCKET);
            env.remove(EmperorMessage.ENV_TOKEN);
            env.remove(EmperorMessage.ENV_EMPEROR_PID);
            env.putAll(extraEnv);
            try {
                return builder.start();
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, spawner);
    }

    /**
     * Starts a child JVM on the spawner thread. One socket becomes its fd 0; several are sent over a socket pair
     * whose other end is its fd 0. {@code env} entries with a null value are removed from the inherited environment.
     */
    private Process launch(List<String> command, int[] socketFds, Map<String, String> extraEnv, Path workDir,
            String what) {
        // one socket: it is the child's fd 0; several: fd 0 is one end of a socket pair they are sent over
        int[] pair = null;
        if (socketFds.length > 1) {
            try {
                pair = FdPassing.socketPair();
            } catch (SocketFds.SocketError e) {
                throw new IllegalStateException("cannot create the socket pair for the " + what + ": "
                        + e.getMessage());
            }
        }
        int stdin = pair == null ? socketFds[0] : pair[1];
        if (Posix.dup2(stdin, 0) < 0) {
            closePair(pair);
            throw new IllegalStateException("dup2 of the listening socket failed");
        }
        VassalLogging collector = logging;
        ProcessBuilder.Redirect output = collector == null ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.PIPE;
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(output)
                .redirectError(output);
        Map<String, String> env = builder.environment();
        env.remove(EmperorMessage.ENV_SOCKET);
        env.remove(EmperorMessage.ENV_TOKEN);
        env.remove(EmperorMessage.ENV_EMPEROR_PID);
        extraEnv.forEach((key, value) -> {
            if (value == null) {
                env.remove(key);
            } else {
                env.put(key, value);
            }
        });
        try {
            Process process = builder.start();
            if (collector != null) {
                collector.collect(process, what.equals("worker"));
            }
            if (pair != null) {
                try {
                    FdPassing.send(pair[0], socketFds);
                } catch (SocketFds.SocketError e) {
                    process.destroyForcibly();
                    throw new IllegalStateException("cannot send the sockets to the " + what + ": "
                            + e.getMessage());
                }
            }
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + what + " JVM: " + e.getMessage(), e);
        } finally {
            Posix.dup2(devNull, 0);
            closePair(pair);
        }
    }

    private static void closePair(int[] pair) {
        if (pair != null) {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    private List<String> command(VassalSettings settings, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(DEFAULT_JVM_FLAGS);
        command.addAll(aotFlags(System.getProperty(Posix.AOT_RECORD_PROPERTY), System.getProperty(AOT_PROPERTY),
                System.getProperty("java.class.path", "")));
        command.addAll(settings.jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    /**
     * The AOT cache flags for a worker JVM, following the master's own (set by {@code lib/launcher.sh}): record
     * {@code vassal.aot} when the master takes part in a training run (a worker records the cache that masters and
     * workers share), use it when the master was started with a cache directory that holds a current one, else none. A used
     * cache is mapped unrelocated so that its pages are shared by every master and worker on the host.
     *
     * @param recordDir the directory of a training run's caches, or null
     * @param cacheDir the directory of the installed caches, or null
     * @param classPath the workers' class path: the cache is not used if a jar of it is newer (see
     *     {@link #isCurrent})
     */
    static List<String> aotFlags(String recordDir, String cacheDir, String classPath) {
        if (recordDir != null) {
            return List.of("-XX:AOTCacheOutput=" + Path.of(recordDir, VASSAL_AOT),
                    "-D" + Posix.AOT_RECORD_PROPERTY + "=" + recordDir);
        }
        if (cacheDir != null && Files.isReadable(Path.of(cacheDir, VASSAL_AOT))
                && isCurrent(Path.of(cacheDir, VASSAL_AOT), classPath)) {
            return List.of("-XX:AOTCache=" + Path.of(cacheDir, VASSAL_AOT), "-Xlog:aot=off", "-Xlog:cds=off",
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
        }
        return List.of();
    }

    /**
     * Whether an AOT cache is at least as new as every jar of a class path. JDK 25.0.3 and older keep using a cache
     * after a jar it was recorded from has changed, and then run the old classes (JDK-8377932, fixed in 25.0.4), so
     * a cache older than any of the jars is not used: {@code imperium aot-cache} records a fresh one.
     *
     * @param cache the cache file
     * @param classPath the class path, entries separated by {@link java.io.File#pathSeparator}
     * @return false if the cache or a jar cannot be read, or a jar is newer than the cache
     */
    static boolean isCurrent(Path cache, String classPath) {
        try {
            FileTime recorded = Files.getLastModifiedTime(cache);
            for (String entry : classPath.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty() && Files.getLastModifiedTime(Path.of(entry)).compareTo(recorded) > 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    @Override
    public void close() {
        spawner.shutdownNow();
        Posix.close(devNull);
    }
}
