package dev.imperium.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts every process of the harness and stops it again: a stop signals the process (each kind of server has its
 * own graceful signal: uWSGI ignores SIGTERM as a vassal, so it gets SIGINT), waits a short grace, then SIGKILLs the
 * whole tree that was there before the signal (a snapshot: orphans are re-parented and would drop out of
 * {@link ProcessHandle#descendants()} later). A shutdown hook does the same for whatever still runs on Ctrl-C or
 * SIGTERM, and {@link #leftovers} finds any process whose command line or working directory is under the run's
 * temporary directory.
 */
final class Procs {
    /** A started process, the signal that stops it gracefully, and its log file. */
    record Running(String name, Process process, String stopSignal, Path log) {
        long pid() {
            return process.pid();
        }
    }

    private final Path root;
    private final List<Running> running = new CopyOnWriteArrayList<>();
    private boolean closed;

    /**
     * @param root the run's temporary directory: everything started runs in it, so leftovers can be found by path
     */
    Procs(Path root) {
        this.root = root;
    }

    /** Installs the hook that stops everything (and removes the temporary directory) when the harness exits. */
    void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (this) {
                closed = true;
            }
            if (!running.isEmpty()) {
                System.err.println("bench: stopping " + running.size() + " process tree(s)");
            }
            stopAll(Duration.ofSeconds(3));
            for (ProcessHandle p : leftovers()) {
                p.destroyForcibly();
            }
            deleteTree(root);
        }, "bench-cleanup"));
    }

    /** True once the shutdown hook has begun (Ctrl-C, SIGTERM, or the end of the run). */
    synchronized boolean closing() {
        return closed;
    }

    /**
     * Starts a process with its output (both streams) appended to {@code log} and stdin from /dev/null, in a session
     * of its own ({@code setsid}), as a service runs: with the kernel's scheduler autogroups (Debian's default), the
     * processes of one session share one scheduling group, and a server sharing it with its load generator is
     * scheduled differently from one in production (see tests/bench/README.md, "One connection").
     *
     * @param name a label for messages
     * @param command the command line
     * @param dir the working directory (inside the run's temporary directory)
     * @param log the log file
     * @param env extra environment variables
     * @param stopSignal the graceful stop signal: TERM, INT or QUIT
     * @throws IOException also once the shutdown hook has begun: the main thread runs on while hooks run, and must
     *     not start anything the hook would miss
     */
    synchronized Running start(String name, List<String> command, Path dir, Path log, Map<String, String> env,
                               String stopSignal) throws IOException {
        if (closed) {
            throw new IOException("shutting down: not starting " + name);
        }
        List<String> inSession = new ArrayList<>(command.size() + 1);
        inSession.add("setsid"); // not a process group leader: setsid execs in place, the pid stays the command's
        inSession.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(inSession).directory(dir.toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Running r = new Running(name, pb.start(), stopSignal, log);
        running.add(r);
        return r;
    }

    /**
     * Runs a short command to completion and returns its output (stdout and stderr), bounded in time.
     *
     * @param timeout how long to wait before killing it
     */
    static String capture(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(new File("/dev/null")).start();
            byte[][] out = new byte[1][];
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
            reader.join(1000);
            return out[0] == null ? "" : new String(out[0]);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Sends a signal by name (INT, TERM, QUIT, KILL, HUP) to one pid. */
    static void signal(long pid, String signal) {
        capture(Duration.ofSeconds(5), "kill", "-" + signal, Long.toString(pid));
    }

    /**
     * Stops one process tree: the graceful signal, up to {@code grace} for the root to exit, then SIGKILL of every
     * process of the tree (as it was before the signal, plus anything it forked since) that still runs.
     */
    void stop(Running r, Duration grace) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(r.process().toHandle());
        r.process().descendants().forEach(tree::add);
        if (r.process().isAlive()) {
            signal(r.pid(), r.stopSignal());
        }
        long end = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < end && tree.stream().anyMatch(ProcessHandle::isAlive)) {
            r.process().descendants().forEach(tree::add);
            sleep(20);
        }
        for (ProcessHandle p : tree) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by leftovers()
            }
        }
        running.remove(r);
    }

    /** Stops every process still tracked, in reverse start order. */
    void stopAll(Duration grace) {
        List<Running> all = new ArrayList<>(running);
        for (int i = all.size() - 1; i >= 0; i--) {
            stop(all.get(i), grace);
        }
    }

    /** Every live process (other than this JVM) whose command line or working directory is under the run's root. */
    List<ProcessHandle> leftovers() {
        String prefix = root.toString();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            Optional<String> cmd = p.info().commandLine();
            boolean ours = cmd.isPresent() && cmd.get().contains(prefix);
            if (!ours) {
                try {
                    ours = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).toString()
                            .startsWith(prefix);
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    ours = false;
                }
            }
            if (ours && p.isAlive()) {
                found.add(p);
            }
        });
        return found;
    }

    /** Warns about (and then kills) any leftover process; returns how many there were. */
    int checkLeftovers(String when) {
        List<ProcessHandle> left = leftovers();
        for (ProcessHandle p : left) {
            System.out.println("WARNING: process left " + when + ": " + p.pid() + " "
                    + p.info().commandLine().map(c -> c.length() > 160 ? c.substring(0, 160) + "..." : c).orElse("?"));
            p.destroyForcibly();
        }
        return left.size();
    }

    /** Removes a directory tree, ignoring errors. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
