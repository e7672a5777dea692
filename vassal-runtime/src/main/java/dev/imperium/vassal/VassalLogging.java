package dev.imperium.vassal;

import dev.imperium.logging.DatagramSender;
import dev.imperium.logging.DatagramTarget;
import dev.imperium.logging.FileTarget;
import dev.imperium.logging.LogRoutes;
import dev.imperium.logging.LogTarget;
import dev.imperium.logging.LoggerSpec;
import dev.imperium.logging.OutputPump;
import dev.imperium.logging.StreamTarget;
import dev.imperium.logging.SyslogFormat;
import dev.imperium.os.Credentials;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The vassal's log, kept by its master (uWSGI's "log master", always on in Imperium): the master opens the log file,
 * the loggers and the request loggers, and writes every line itself: its own lines ({@link Log}), and what its
 * workers and routers print, read from a pipe per child and per stream ({@link OutputPump}). A worker's standard
 * output carries its request lines only ({@link RequestPipe}), its standard error everything else.
 *
 * <p>So one process owns the files: rotation ({@code log-maxsize}, {@code touch-logrotate}, FIFO {@code L}) and
 * reopening ({@code touch-logreopen}, FIFO {@code l}, {@code log-reopen}) happen between two whole lines, lose no
 * line, and need nothing from workers that have dropped their privileges. Attached daemons keep writing straight to
 * the master's standard output and error, as before. Not thread-safe except where noted: the master's event loop
 * calls it.
 */
final class VassalLogging {
    private static final long PUMP_STACK_BYTES = 128 * 1024;

    private final Path cwd;
    private final LogRoutes routes;
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();
    private LogSettings settings;
    private TouchWatch rotateWatch;
    private TouchWatch reopenWatch;

    private VassalLogging(Path cwd, LogSettings settings, LogRoutes routes) {
        this.cwd = cwd;
        this.settings = settings;
        this.routes = routes;
    }

    /**
     * Opens the vassal's log as its options say and makes the master's {@link Log} write there.
     *
     * @param settings the vassal's settings
     * @param cwd the master's working directory (relative log paths resolve against it)
     * @return the log
     * @throws IOException naming the file or logger that cannot be opened
     */
    static VassalLogging start(VassalSettings settings, Path cwd) throws IOException {
        LogSettings log = settings.logging();
        Routes built = build(log, cwd, owner(settings, log), log.truncate());
        VassalLogging logging = new VassalLogging(cwd, log, new LogRoutes(built.server(), built.requests()));
        Log.useDate(log.date());
        Log.useSink(logging.routes::line);
        logging.watch(settings);
        return logging;
    }

    /** The targets of one configuration. */
    private record Routes(List<LogTarget> server, List<LogTarget> requests) {
    }

    /**
     * Opens the targets: server lines to the loggers, else the main log; request lines (those the workers pipe to
     * the master) to the request loggers that are files or {@code stdio}, else to where server lines go.
     */
    private static Routes build(LogSettings log, Path cwd, FileTarget.Owner owner, boolean truncate)
            throws IOException {
        List<LogTarget> opened = new ArrayList<>();
        try {
            LogTarget main = main(log, cwd, owner, truncate);
            opened.add(main);
            List<LogTarget> server = new ArrayList<>();
            for (LoggerSpec spec : log.loggers()) {
                LogTarget t = target(spec, main, cwd, owner, "logger");
                opened.add(t);
                server.add(t);
            }
            if (server.isEmpty()) {
                server.add(main);
            }
            List<LoggerSpec> requestSpecs = log.requestLoggers().isEmpty() ? log.loggers() : log.requestLoggers();
            List<LogTarget> requests = new ArrayList<>();
            for (int i = 0; i < requestSpecs.size(); i++) {
                LoggerSpec spec = requestSpecs.get(i);
                if (spec instanceof LoggerSpec.Datagram d) {
                    // the workers send these themselves; open it once to report a bad address at start
                    DatagramSender.open(d.address()).close();
                } else if (log.requestLoggers().isEmpty()) {
                    requests.add(server.get(i));
                } else {
                    LogTarget t = target(spec, main, cwd, owner, "req-logger");
                    opened.add(t);
                    requests.add(t);
                }
            }
            if (requestSpecs.isEmpty()) {
                requests.add(main);
            }
            return new Routes(server, requests);
        } catch (IOException | RuntimeException e) {
            opened.forEach(LogTarget::close);
            throw e;
        }
    }

    /** The main log: {@code logto2}/{@code logto} (a file, or a UDP address), else standard error. */
    private static LogTarget main(LogSettings log, Path cwd, FileTarget.Owner owner, boolean truncate)
            throws IOException {
        String target = log.target();
        if (target == null) {
            return new StreamTarget(new FileOutputStream(FileDescriptor.err));
        }
        String name = log.logto2() != null ? "logto2" : "logto";
        if (target.contains(":")) { // uWSGI: an address with a colon is a UDP address
            try {
                LoggerSpec.Address address = LoggerSpec.address(target, -1);
                return new DatagramTarget(DatagramSender.open(address), new SyslogFormat.Framing(
                        SyslogFormat.Style.RAW, 0, null, null, SyslogFormat.LOCAL_MAX));
            } catch (IllegalArgumentException | IOException e) {
                throw new IOException(name + ": " + e.getMessage(), e);
            }
        }
        Path file = cwd.resolve(target);
        if (log.logto2() != null && owner != null && Files.exists(file)) {
            String problem = notWritable(file, owner.uid(), owner.gid());
            if (problem != null) {
                throw new IOException("logto2: " + problem);
            }
        }
        try {
            return FileTarget.open(file, log.maxSize(), log.backupName() == null ? null
                    : cwd.resolve(log.backupName()), true, owner, truncate);
        } catch (IOException e) {
            throw new IOException(name + ": cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static LogTarget target(LoggerSpec spec, LogTarget main, Path cwd, FileTarget.Owner owner, String option)
            throws IOException {
        return switch (spec) {
            case LoggerSpec.Stdio s -> main;
            case LoggerSpec.File f -> {
                Path file = cwd.resolve(f.path());
                try {
                    yield FileTarget.open(file, f.maxSize(), f.backupName() == null ? null
                            : cwd.resolve(f.backupName()), false, owner, false);
                } catch (IOException e) {
                    throw new IOException(option + " file:" + f.path() + ": cannot open " + file + ": "
                            + e.getMessage(), e);
                }
            }
            case LoggerSpec.Datagram d -> {
                try {
                    yield new DatagramTarget(DatagramSender.open(d.address()), d.framing());
                } catch (IOException e) {
                    throw new IOException(option + " " + d.address() + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Who the vassal's log files belong to: the workers' user and group under {@code logto2} (new files) or
     * {@code logfile-chown} (every file), when the master runs as root and the workers drop to another user.
     */
    private static FileTarget.Owner owner(VassalSettings settings, LogSettings log) {
        if (log.logto2() == null && !log.chown()) {
            return null;
        }
        PrivilegeDrop drop;
        try {
            drop = PrivilegeDrop.from(settings.config());
        } catch (IllegalArgumentException e) {
            return null; // the start reports the unknown user itself
        }
        if (!drop.drops(Credentials.effectiveUid())) {
            return null;
        }
        return new FileTarget.Owner(drop.uid(), drop.gid(), log.chown());
    }

    /**
     * Returns why a user could not write a file, from its owner, group and mode, or null if it could (the user's
     * supplementary groups are not looked at).
     */
    static String notWritable(Path file, int uid, int gid) throws IOException {
        int fileUid = (Integer) Files.getAttribute(file, "unix:uid");
        int fileGid = (Integer) Files.getAttribute(file, "unix:gid");
        int mode = (Integer) Files.getAttribute(file, "unix:mode");
        return writable(fileUid, fileGid, mode, uid, gid) ? null
                : file + " is not writable by uid " + uid + " gid " + gid + " (owner " + fileUid + ":" + fileGid
                        + ", mode " + Integer.toOctalString(mode & 0777) + ")";
    }

    /** The permission check of {@code open(2)} for writing, without supplementary groups or capabilities. */
    static boolean writable(int fileUid, int fileGid, int mode, int uid, int gid) {
        if (uid == 0) {
            return true;
        }
        if (uid == fileUid) {
            return (mode & 0200) != 0;
        }
        if (gid == fileGid) {
            return (mode & 020) != 0;
        }
        return (mode & 02) != 0;
    }

    private void watch(VassalSettings vassal) {
        Path base = vassal.workDir(cwd);
        rotateWatch = new TouchWatch(base, settings.touchRotate(), Log::line);
        reopenWatch = new TouchWatch(base, settings.touchReopen(), Log::line);
    }

    /**
     * Starts copying a child's output to the log: for a worker, its standard output as request lines and its
     * standard error as server lines; for any other child (a router), both as server lines. Thread-safe.
     *
     * @param process the child, started with both streams piped
     * @param worker true for a worker
     */
    void collect(Process process, boolean worker) {
        long pid = process.pid();
        pump(process.getInputStream(), pid, worker ? routes::requests : routes::server, "out");
        pump(process.getErrorStream(), pid, routes::server, "err");
    }

    private void pump(java.io.InputStream in, long pid, OutputPump.Lines lines, String stream) {
        Thread t = Thread.ofPlatform().daemon().name("log-" + pid + "-" + stream).stackSize(PUMP_STACK_BYTES)
                .start(new OutputPump(in, pid, lines));
        pumps.add(t);
        pumps.removeIf(p -> !p.isAlive());
    }

    /** The once-a-second check of {@code touch-logrotate} and {@code touch-logreopen} (rotation wins). */
    void tick() {
        boolean rotate = rotateWatch != null && rotateWatch.check() != null;
        boolean reopen = reopenWatch != null && reopenWatch.check() != null;
        if (rotate) {
            routes.rotate();
        } else if (reopen) {
            routes.reopen();
        }
    }

    /** Reopens the log files (FIFO {@code l}). */
    void reopen() {
        routes.reopen();
    }

    /** Returns true if the vassal logs to at least one file (FIFO {@code l} and {@code L} act on files). */
    boolean hasFiles() {
        return routes.targets().stream().anyMatch(t -> t instanceof FileTarget);
    }

    /** Rotates the log files (FIFO {@code L}). */
    void rotate() {
        routes.rotate();
    }

    /**
     * Applies a reload's logging options: new log files or loggers are opened (on failure the current ones stay,
     * and the reason is logged), the {@code log-date} and touch files are taken, and with {@code log-reopen} the
     * log is reopened, as uWSGI reopens it after a reload.
     *
     * @param vassal the reloaded settings
     */
    void reload(VassalSettings vassal) {
        LogSettings next = vassal.logging();
        if (!sameTargets(settings, next)) {
            try {
                Routes built = build(next, cwd, owner(vassal, next), false);
                routes.replace(built.server(), built.requests());
            } catch (IOException e) {
                Log.line(e.getMessage() + "; keeping the current log");
                next = withTargetsOf(next, settings);
            }
        } else if (next.reopenOnReload()) {
            routes.reopen();
        }
        Log.useDate(next.date());
        settings = next;
        watch(vassal);
    }

    private static boolean sameTargets(LogSettings a, LogSettings b) {
        return Objects.equals(a.logto(), b.logto()) && Objects.equals(a.logto2(), b.logto2())
                && a.maxSize() == b.maxSize() && Objects.equals(a.backupName(), b.backupName())
                && a.chown() == b.chown() && a.loggers().equals(b.loggers())
                && a.requestLoggers().equals(b.requestLoggers());
    }

    /** {@code next} with the log targets of {@code current} (they could not be changed). */
    private static LogSettings withTargetsOf(LogSettings next, LogSettings current) {
        return new LogSettings(current.logto(), current.logto2(), next.format(), next.date(), current.maxSize(),
                current.backupName(), next.touchRotate(), next.touchReopen(), next.reopenOnReload(), next.truncate(),
                current.chown(), current.loggers(), current.requestLoggers(), next.policy(), next.micros(),
                next.forwardedFor(), next.memoryReport());
    }

    /**
     * Waits up to {@code timeout} for the children's last lines (their pipes closing), before the master exits.
     * Thread-safe.
     */
    void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : pumps) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
