package dev.imperium.emperor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Issue 7: monitors. Several monitors at once (uWSGI's repeatable {@code --emperor}: directories, globs, PostgreSQL):
 * joins the changes their {@link VassalWatcher}s report into one stream for the supervisor, where a vassal is known by
 * its name alone.
 *
 * <p>A name belongs to the monitor that reported it first. The same name from another monitor is ignored with a
 * warning (once per appearance of that file); its touches and removal are ignored too. When the owner's file goes,
 * its vassal is stopped and, if another monitor still has a file of that name, that one is started in its place (the
 * first such monitor in command-line order), with a line saying so. uWSGI has no such rule: there the second
 * monitor's newer mtime would reload the first one's vassal.
 *
 * <p>It is also the {@link VassalLocator}: a vassal runs in its owner's working directory. Thread-safe: each watcher
 * calls its {@link #listener(int)} on its own thread.
 */
final class MonitorSet implements VassalLocator {
    /**
     * One monitor.
     *
     * @param description for log lines, e.g. {@code directory /etc/imperium/vassals}
     * @param scope which files it watches
     */
    record Entry(String description, WatchScope scope) {
        Entry {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(scope, "scope");
        }
    }

    private final List<Entry> monitors;
    private final Consumer<VassalFileChange> downstream;
    private final Consumer<String> warnings;

    // Guarded by this.
    private final Map<String, Integer> owners = new HashMap<>();
    private final List<Map<String, FileStamp>> present = new ArrayList<>();

    /**
     * Creates the set.
     *
     * @param monitors the monitors, in command-line order (at least one)
     * @param downstream receives the joined changes (the supervisor's {@code fileChanged}); called under this set's
     *     lock, so it must only hand the change on
     * @param warnings receives one-line warnings (a name seen twice, a hand-over)
     */
    MonitorSet(List<Entry> monitors, Consumer<VassalFileChange> downstream, Consumer<String> warnings) {
        if (monitors.isEmpty()) {
            throw new IllegalArgumentException("no monitor");
        }
        this.monitors = List.copyOf(monitors);
        this.downstream = downstream;
        this.warnings = warnings;
        for (int i = 0; i < monitors.size(); i++) {
            present.add(new HashMap<>());
        }
    }

    /** Returns the monitors. */
    List<Entry> monitors() {
        return monitors;
    }

    /** Returns the listener for the watcher of monitor {@code index}. */
    Consumer<VassalFileChange> listener(int index) {
        Objects.checkIndex(index, monitors.size());
        return change -> accept(index, change);
    }

    /**
     * Takes a change from monitor {@code m}.
     *
     * @param m the monitor's index
     * @param change what its watcher reported
     */
    synchronized void accept(int m, VassalFileChange change) {
        String name = change.name();
        Integer owner = owners.get(name);
        if (change.kind() == VassalFileChange.Kind.REMOVED) {
            present.get(m).remove(name);
            if (owner == null || owner != m) {
                return; // an ignored duplicate went away
            }
            owners.remove(name);
            downstream.accept(change);
            for (int i = 0; i < monitors.size(); i++) {
                FileStamp stamp = present.get(i).get(name);
                if (stamp != null) {
                    owners.put(name, i);
                    warnings.accept("vassal " + name + " of " + monitors.get(m).description() + " is gone: vassal "
                            + name + " of " + monitors.get(i).description() + " takes its place");
                    downstream.accept(new VassalFileChange(VassalFileChange.Kind.ADDED, name, stamp,
                            change.firstEventNanos()));
                    return;
                }
            }
            return;
        }
        present.get(m).put(name, change.stamp());
        if (owner == null) {
            owners.put(name, m);
            downstream.accept(change);
        } else if (owner == m) {
            downstream.accept(change);
        } else if (change.kind() == VassalFileChange.Kind.ADDED) {
            warnings.accept("vassal " + name + " of " + monitors.get(m).description() + " is ignored: vassal " + name
                    + " of " + monitors.get(owner).description() + " has that name (the first monitor to report a "
                    + "name keeps it)");
        }
    }

    /** Returns the index of the monitor that owns {@code name}, or -1. */
    synchronized int ownerOf(String name) {
        Integer owner = owners.get(name);
        return owner == null ? -1 : owner;
    }

    @Override
    public synchronized Path directoryOf(String name) {
        Integer owner = owners.get(name);
        if (owner != null) {
            return monitors.get(owner).scope().workingDirectory();
        }
        for (Entry e : monitors) {
            if (has(e.scope(), name)) {
                return e.scope().workingDirectory();
            }
        }
        return monitors.getFirst().scope().workingDirectory();
    }

    @Override
    public synchronized boolean hasFile(String name) {
        Integer owner = owners.get(name);
        if (owner != null) {
            return has(monitors.get(owner).scope(), name);
        }
        for (Entry e : monitors) {
            if (has(e.scope(), name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(WatchScope scope, String name) {
        Path file = scope.fileOf(name);
        return name.equals(scope.nameOf(file)) && Files.isRegularFile(file);
    }
}
