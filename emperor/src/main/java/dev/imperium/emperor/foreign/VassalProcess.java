package dev.imperium.emperor.foreign;

import dev.imperium.os.Posix;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A command vassal as one process for the supervisor, although its program is replaced at each reload: the pid is
 * the current program's, and the "process" ends only when the vassal does (it crashed, or it was stopped), with the
 * exit value of its last program. Its output streams are empty: the programs' output goes to the emperor's log.
 */
final class VassalProcess extends Process {
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private final Supplier<List<Process>> programs;
    private volatile Process current;
    private volatile int exitValue;

    /**
     * @param first the first program
     * @param programs every program of the vassal still running (the current one, a new one starting, an old one
     *     stopping)
     */
    VassalProcess(Process first, Supplier<List<Process>> programs) {
        this.current = first;
        this.programs = programs;
    }

    /** Makes {@code program} the one whose pid this process has. */
    void current(Process program) {
        current = program;
    }

    /** Ends the vassal with its last program's exit value. */
    void finish(int value) {
        exitValue = value;
        exit.complete(this);
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return exitValue;
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("the vassal is running");
        }
        return exitValue;
    }

    /** Sends SIGTERM to every program's process group. */
    @Override
    public void destroy() {
        signalAll(Posix.SIGTERM);
    }

    /** Sends SIGKILL to every program's process group. */
    @Override
    public Process destroyForcibly() {
        signalAll(Posix.SIGKILL);
        return this;
    }

    private void signalAll(int signal) {
        for (Process p : programs.get()) {
            if (p.isAlive() && Posix.kill(-p.pid(), signal) < 0) {
                Posix.kill(p.pid(), signal);
            }
        }
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return current.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit;
    }

    @Override
    public ProcessHandle toHandle() {
        return current.toHandle();
    }

    /** Every other program still running and every process they started: what SIGKILL of the vassal must reach. */
    @Override
    public Stream<ProcessHandle> descendants() {
        List<ProcessHandle> all = new ArrayList<>();
        Process now = current;
        for (Process p : programs.get()) {
            if (p != now && p.isAlive()) {
                all.add(p.toHandle());
            }
            all.addAll(p.descendants().toList());
        }
        return all.stream();
    }

    @Override
    public String toString() {
        return "command vassal process (current pid " + current.pid() + ")";
    }
}
