package dev.imperium.emperor;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.ExecuteStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Launches vassals with Apache Commons Exec 1.6.0.
 *
 * <p>Commons Exec forks on its own per-process thread and keeps that thread in {@code waitFor()} until the child
 * exits, which is what the vassal's {@code PR_SET_PDEATHSIG} needs (java-platform-notes.md §2c, §3). It has no
 * getter for the {@link Process}: this class overrides {@code launch(CommandLine, Map, Path)} (the {@code File}
 * overload is never called in 1.6.0). Output is copied line by line to a {@link LineSink} ({@link LineSink#vassal},
 * which tags each line with the vassal's name); the child's stdin is
 * closed at once (uWSGI gives vassals /dev/null). Exit codes are not judged here: every exit is reported by
 * {@link Process#onExit()} to whoever watches the process.
 */
public final class CommonsExecLauncher implements VassalLauncher {
    /** How long to wait for the last output of an exited vassal before closing its pipes, in milliseconds. */
    private static final long DRAIN_MILLIS = 1000;

    private final LineSink sink;
    private final VassalLogs logs;

    /**
     * Creates a launcher copying vassal output to {@code sink}.
     *
     * @param sink receives every line of every vassal's stdout and stderr ({@link LineSink#vassal})
     */
    public CommonsExecLauncher(LineSink sink) {
        this(sink, null);
    }

    /**
     * Creates a launcher copying vassal output to {@code sink} and keeping its tail in {@code logs}.
     *
     * @param sink receives every line of every vassal's output
     * @param logs keeps each vassal's recent lines for {@code imperium logs}, or null
     */
    CommonsExecLauncher(LineSink sink, VassalLogs logs) {
        this.sink = sink;
        this.logs = logs;
    }

    @Override
    public void launch(SpawnRequest request, Callback callback) {
        CommandLine line = new CommandLine(request.command().getFirst());
        for (String arg : request.command().subList(1, request.command().size())) {
            line.addArgument(arg, false);
        }
        AtomicBoolean started = new AtomicBoolean();
        Streams streams = new Streams(sink, logs, request.vassalName());
        Executor executor = new Executor(request.vassalName(), request.stdinSocket(), process -> {
            streams.pid = process.pid();
            started.set(true);
            callback.started(process);
        });
        executor.setWorkingDirectoryPath(request.workingDirectory());
        executor.setExitValues(null); // never "fail" on an exit code: exits are judged by the supervisor
        executor.setStreamHandler(streams);
        try {
            executor.execute(line, request.environment(), new ExecuteResultHandler() {
                @Override
                public void onProcessComplete(int exitValue) {
                    // reported through Process.onExit()
                }

                @Override
                public void onProcessFailed(ExecuteException e) {
                    if (!started.get()) {
                        callback.failed(e.getCause() instanceof IOException io ? io : e);
                    }
                }
            });
        } catch (IOException e) {
            callback.failed(e);
        }
    }

    /** A DefaultExecutor that hands out the Process it launches and names its thread after the vassal. */
    private static final class Executor extends DefaultExecutor {
        private final String vassalName;
        private final int stdinSocket;
        private final java.util.function.Consumer<Process> onLaunch;

        @SuppressWarnings("deprecation") // the Builder constructor is not accessible to subclasses in 1.6.0
        Executor(String vassalName, int stdinSocket, java.util.function.Consumer<Process> onLaunch) {
            this.vassalName = vassalName;
            this.stdinSocket = stdinSocket;
            this.onLaunch = onLaunch;
        }

        @SuppressWarnings("deprecation")
        void setWorkingDirectoryPath(Path dir) {
            setWorkingDirectory(dir.toFile());
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path workingDirectory)
                throws IOException {
            Process process = stdinSocket < 0 ? super.launch(command, env, workingDirectory)
                    : dev.imperium.emperor.ondemand.StdinHandover.start(List.of(command.toStrings()), env,
                            workingDirectory, stdinSocket); // Issue 7: on-demand vassals
            onLaunch.accept(process);
            return process;
        }

        /** A platform thread (never a virtual one: the forking thread is the child's parent for PDEATHSIG). */
        @Override
        protected Thread createThread(Runnable runnable, String name) {
            Thread t = new Thread(runnable, "vassal-" + vassalName);
            t.setDaemon(true);
            return t;
        }
    }

    /** Copies stdout and stderr line by line; closes stdin. */
    private static final class Streams implements ExecuteStreamHandler {
        private static final long PUMP_STACK_BYTES = 128 * 1024;
        private final LineSink sink;
        private final VassalLogs logs;
        private final String vassalName;
        private InputStream stdout;
        private InputStream stderr;
        private Thread outPump;
        private Thread errPump;
        /** The vassal's pid, set when it is launched (before the pumps start). */
        volatile long pid;

        Streams(LineSink sink, VassalLogs logs, String vassalName) {
            this.sink = sink;
            this.logs = logs;
            this.vassalName = vassalName;
        }

        @Override
        public void setProcessInputStream(OutputStream os) throws IOException {
            os.close();
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            stdout = is;
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            stderr = is;
        }

        /**
         * Platform threads with small stacks: a blocking read on a process pipe would pin a virtual thread's
         * carrier and make the scheduler add carriers, one per vassal stream.
         */
        @Override
        public void start() {
            outPump = pumpThread("stdout").start(new LinePump(stdout, line -> copy(false, line)));
            errPump = pumpThread("stderr").start(new LinePump(stderr, line -> copy(true, line)));
        }

        /** Keeps the line for {@code imperium logs} and writes it to the emperor's log. */
        private void copy(boolean stderr, byte[] line) {
            if (logs != null) {
                logs.line(vassalName, stderr, line);
            }
            sink.vassal(vassalName, pid, stderr, line);
        }

        private Thread.Builder pumpThread(String stream) {
            return Thread.ofPlatform().daemon().name(vassalName + "-" + stream).stackSize(PUMP_STACK_BYTES);
        }

        /** Waits a little for the pumps to reach end of stream (a worker that outlives its vassal holds the pipe). */
        @Override
        public void stop() {
            long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
            try {
                for (Thread pump : new Thread[] {outPump, errPump}) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (pump != null && left > 0) {
                        pump.join(left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
