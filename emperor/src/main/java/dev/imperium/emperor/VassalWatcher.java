package dev.imperium.emperor;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Watches one vassal directory (or the files matching a glob: {@link WatchScope}) and reports settled
 * {@link VassalFileChange}s.
 *
 * <p>Two sources feed it: inotify events through io.methvin directory-watcher (with {@code fileHashing(false)},
 * the only way a touch is reported; java-platform-notes.md §5), and a full rescan every {@code rescanPeriod} as
 * a safety net for lost events or file systems without inotify (uWSGI's only mechanism: it polls every
 * {@code emperor-freq} seconds, uwsgi-features.md §1.4). In a directory only direct children count: subdirectories
 * are neither vassals nor watched, as uWSGI's {@code dir://} monitor does not recurse; a glob watches the
 * directories its pattern goes through ({@link GlobScope}).
 *
 * <p>A file is reported once it has settled: no event for {@code settle} and the same {@link FileStamp} at the
 * last event and at the check. A file whose mtime is already {@code settle} old when its event arrives (a file
 * renamed into the directory, the recommended deploy) is settled at once. An editor that saves by deleting and
 * re-creating the file within the settle time causes one CHANGED, not a stop and a start.
 *
 * <p>Threading: the change listener is called on the watcher's own thread, one change at a time; it must not
 * block. {@link #close()} may be called from any thread.
 */
public final class VassalWatcher implements AutoCloseable {
    /** Which files are vassals: one directory, or a glob (issue 7). */
    private final WatchScope scope;
    private final long settleNanos;
    private final Duration rescanPeriod;
    private final Clock clock;
    private final Consumer<VassalFileChange> listener;
    private final Consumer<String> warnings;
    /** Reads a file's stamp: {@link FileStamp#of(Path)}, with the owner in tyrant mode. */
    private final Function<Path, Optional<FileStamp>> stamper;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService eventThread;

    // Confined to the scheduler thread.
    private final Map<String, FileStamp> reported = new HashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private DirectoryWatcher watcher;
    private boolean watchEvents;
    private boolean dirMissingWarned;
    /** Issue 8: resource limits. The last scan failure logged (logged once), or null after a scan that worked. */
    private String scanFailure;
    /** Issue 8: bad configs. Names that look like vassal files but are not regular files, with why: logged once. */
    private final Map<String, String> ignored = new HashMap<>();
    private volatile boolean closed;

    /** A file with events not yet settled. */
    private static final class Pending {
        final long firstNanos;
        long lastEventNanos;
        Optional<FileStamp> stampAtEvent;
        ScheduledFuture<?> check;

        Pending(long now) {
            firstNanos = now;
        }
    }

    /**
     * Creates a watcher; nothing happens until {@link #start()}.
     *
     * @param dir the vassal directory
     * @param settle how long a file must stay quiet before it is reported (e.g. 100 ms)
     * @param rescanPeriod how often to rescan the whole directory (uWSGI's {@code emperor-freq}, e.g. 3 s)
     * @param clock the wall clock, to tell the age of a file's mtime
     * @param listener receives each settled change, on the watcher thread
     * @param warnings receives one-line warnings (directory missing, watcher restarted...)
     */
    public VassalWatcher(Path dir, Duration settle, Duration rescanPeriod, Clock clock,
                         Consumer<VassalFileChange> listener, Consumer<String> warnings) {
        this(dir, settle, rescanPeriod, clock, listener, warnings, FileStamp::of);
    }

    /**
     * Creates a watcher stamping files with {@code stamper} (e.g. with their owner, in tyrant mode: a {@code chown}
     * is then a change too).
     *
     * @param dir the vassal directory
     * @param settle how long a file must stay quiet before it is reported
     * @param rescanPeriod how often to rescan the whole directory
     * @param clock the wall clock, to tell the age of a file's mtime
     * @param listener receives each settled change, on the watcher thread
     * @param warnings receives one-line warnings
     * @param stamper reads a file's stamp, empty when it is not a vassal file (missing, not a regular file)
     */
    public VassalWatcher(Path dir, Duration settle, Duration rescanPeriod, Clock clock,
                         Consumer<VassalFileChange> listener, Consumer<String> warnings,
                         Function<Path, Optional<FileStamp>> stamper) {
        this(new DirectoryScope(dir.toAbsolutePath().normalize()), settle, rescanPeriod, clock, listener, warnings,
                stamper);
    }

    /**
     * Creates a watcher of the vassal files of {@code scope}: a directory, or a glob (uWSGI's {@code glob://}).
     *
     * @param scope which files are vassals and what to watch
     * @param settle how long a file must stay quiet before it is reported
     * @param rescanPeriod how often to rescan the whole scope
     * @param clock the wall clock, to tell the age of a file's mtime
     * @param listener receives each settled change, on the watcher thread
     * @param warnings receives one-line warnings
     * @param stamper reads a file's stamp, empty when it is not a vassal file (missing, not a regular file)
     */
    VassalWatcher(WatchScope scope, Duration settle, Duration rescanPeriod, Clock clock,
                  Consumer<VassalFileChange> listener, Consumer<String> warnings,
                  Function<Path, Optional<FileStamp>> stamper) {
        this.stamper = Objects.requireNonNull(stamper, "stamper");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.settleNanos = settle.toNanos();
        this.rescanPeriod = Objects.requireNonNull(rescanPeriod);
        this.clock = clock;
        this.listener = listener;
        this.warnings = warnings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "imperium-watcher"));
        this.eventThread = Executors.newSingleThreadExecutor(r -> daemon(r, "imperium-inotify"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Returns the watched directory (absolute). */
    public Path directory() {
        return scope.root();
    }

    /**
     * Starts watching: inotify events, then an initial scan (every vassal file already there is reported as
     * ADDED, at once if its mtime is older than the settle time), then periodic rescans.
     *
     * @throws IOException if the directory cannot be watched
     */
    public void start() throws IOException {
        start(true);
    }

    /**
     * Starts with or without inotify events (without: rescans only, to test the safety net).
     *
     * @param events whether to watch inotify events
     * @throws IOException if the directory cannot be watched
     */
    void start(boolean events) throws IOException {
        watchEvents = events;
        if (events) {
            startDirectoryWatcher();
        }
        long period = rescanPeriod.toNanos();
        scheduler.scheduleWithFixedDelay(this::rescanNow, 0, period, TimeUnit.NANOSECONDS);
    }

    private void startDirectoryWatcher() throws IOException {
        DirectoryWatcher w = DirectoryWatcher.builder()
                .path(scope.root())
                .fileHashing(false)
                .fileTreeVisitor(scope.visitor())
                .listener(this::onWatcherEvent)
                .build();
        w.watchAsync(eventThread);
        watcher = w;
    }

    /**
     * Rescans the directory now, on the watcher thread: files whose stamp differs from the last report, and
     * reported files that vanished, go through settling as if an event had been seen.
     *
     * @return completes when the scan has run (the resulting changes may still be settling)
     */
    public CompletableFuture<Void> rescan() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            scheduler.execute(() -> {
                rescanNow();
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void onWatcherEvent(DirectoryChangeEvent event) {
        long now = System.nanoTime();
        if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
            submit(this::rescanNow);
            return;
        }
        Path path = event.path();
        if (path == null) {
            return;
        }
        String name = scope.nameOf(path);
        if (name != null) {
            submit(() -> onFileEvent(name, now));
        } else if (scope.mayChangeMatches(path)) {
            submit(this::rescanNow); // a directory of a glob came or went: its files may have no event of their own
        }
    }

    private void submit(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void onFileEvent(String name, long now) {
        if (closed) {
            return;
        }
        Pending p = pending.computeIfAbsent(name, _ -> new Pending(now));
        p.lastEventNanos = Math.max(p.lastEventNanos, now);
        p.stampAtEvent = stamper.apply(scope.fileOf(name));
        if (p.stampAtEvent.isPresent() && isOld(p.stampAtEvent.get())) {
            settle(name);
        } else if (p.check == null) {
            p.check = scheduler.schedule(() -> check(name), settleNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A file nobody has written for the settle time (e.g. renamed into the directory) needs no more waiting. */
    private boolean isOld(FileStamp stamp) {
        long ageNanos = Duration.between(stamp.modified().toInstant(), clock.instant()).toNanos();
        return ageNanos >= settleNanos;
    }

    private void check(String name) {
        Pending p = pending.get(name);
        if (p == null || closed) {
            return;
        }
        long quiet = System.nanoTime() - p.lastEventNanos;
        if (quiet < settleNanos) {
            p.check = scheduler.schedule(() -> check(name), settleNanos - quiet, TimeUnit.NANOSECONDS);
            return;
        }
        Optional<FileStamp> now = stamper.apply(scope.fileOf(name));
        if (!now.equals(p.stampAtEvent)) {
            // Written without an event (or the event is still on its way): wait for another quiet period.
            p.lastEventNanos = System.nanoTime();
            p.stampAtEvent = now;
            p.check = scheduler.schedule(() -> check(name), settleNanos, TimeUnit.NANOSECONDS);
            return;
        }
        settle(name);
    }

    private void settle(String name) {
        Pending p = pending.remove(name);
        if (p != null && p.check != null) {
            p.check.cancel(false);
        }
        long first = p == null ? System.nanoTime() : p.firstNanos;
        Optional<FileStamp> stamp = stamper.apply(scope.fileOf(name));
        FileStamp before = reported.get(name);
        if (stamp.isEmpty()) {
            if (before != null) {
                reported.remove(name);
                emit(new VassalFileChange(VassalFileChange.Kind.REMOVED, name, null, first));
            }
        } else if (before == null) {
            reported.put(name, stamp.get());
            emit(new VassalFileChange(VassalFileChange.Kind.ADDED, name, stamp.get(), first));
        } else if (!before.equals(stamp.get())) {
            reported.put(name, stamp.get());
            emit(new VassalFileChange(VassalFileChange.Kind.CHANGED, name, stamp.get(), first));
        }
    }

    private void emit(VassalFileChange change) {
        try {
            listener.accept(change);
        } catch (RuntimeException e) {
            warnings.accept("vassal watcher listener failed on " + change + ": " + e);
        }
    }

    private void rescanNow() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        Set<String> present = new HashSet<>();
        Set<String> notFiles = new HashSet<>();
        try {
            for (String name : scope.scan()) {
                Optional<FileStamp> stamp = stamper.apply(scope.fileOf(name));
                if (stamp.isEmpty()) {
                    reportIgnored(name, notFiles);
                    continue;
                }
                present.add(name);
                if (!stamp.get().equals(reported.get(name)) && !pending.containsKey(name)) {
                    onFileEvent(name, now);
                }
            }
            dirMissingWarned = false;
            if (scanFailure != null) { // Issue 8: resource limits
                warnings.accept("scanning " + scope.describe() + " again");
                scanFailure = null;
            }
            ignored.keySet().retainAll(notFiles);
        } catch (NoSuchFileException | NotDirectoryException e) {
            if (!dirMissingWarned) {
                warnings.accept(missing());
                dirMissingWarned = true;
            }
        } catch (IOException e) {
            // Issue 8: resource limits. Once per cause (e.g. EMFILE), not at every rescan
            String failure = "cannot scan " + scope.describe() + ": " + e.getMessage();
            if (!failure.equals(scanFailure)) {
                warnings.accept(failure + " (logged once; retried at each rescan)");
                scanFailure = failure;
            }
            return;
        }
        for (String name : Set.copyOf(reported.keySet())) {
            if (!present.contains(name) && !pending.containsKey(name)) {
                onFileEvent(name, now);
            }
        }
        restartDirectoryWatcherIfDead();
    }

    /**
     * Issue 8: bad configs. A vassal name that is no regular file (a directory, a FIFO, a device, a symbolic link loop
     * or a dangling one) is skipped, as uWSGI skips it, but logged once (again only if the reason changes), so that a
     * file dropped in by mistake is not silently ignored.
     */
    private void reportIgnored(String name, Set<String> notFiles) {
        String reason;
        try {
            dev.imperium.config.ConfigFiles.checkRegular(scope.fileOf(name));
            return; // a regular file the stamper refused (tyrant mode) or one that just changed: not ours to report
        } catch (dev.imperium.config.ConfigFiles.UnreadableException e) {
            reason = e.getMessage();
        }
        notFiles.add(name);
        if (!reason.equals(ignored.put(name, reason))) {
            warnings.accept("ignoring vassal file " + name + ": " + reason);
        }
    }

    private void restartDirectoryWatcherIfDead() {
        if (!watchEvents || closed || (watcher != null && !watcher.isClosed()) || !Files.isDirectory(scope.root())) {
            return;
        }
        try {
            startDirectoryWatcher();
            warnings.accept("watching " + scope.root() + " again");
        } catch (IOException e) {
            warnings.accept("cannot watch " + scope.root() + ": " + e.getMessage());
        }
    }

    /** Stops watching and scanning; no change is reported afterwards. Idempotent. */
    @Override
    public void close() {
        closed = true;
        DirectoryWatcher w = watcher;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
        scheduler.shutdownNow();
        eventThread.shutdownNow();
    }

    /** The warning for a missing directory (a glob's base directory): its vassals are stopped. */
    private String missing() {
        return scope instanceof DirectoryScope d ? "vassal directory " + d.dir() + " is missing: stopping its vassals"
                : scope.describe() + ": " + scope.root() + " is missing: stopping its vassals";
    }
}
