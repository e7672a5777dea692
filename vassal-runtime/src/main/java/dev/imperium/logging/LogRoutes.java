package dev.imperium.logging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The master's single writer of the vassal's log (uWSGI's log master, {@code core/logging.c}
 * {@code uwsgi_master_log} and {@code uwsgi_master_req_log}): every line of the master, its workers and its routers
 * passes through here, whole, and goes to its targets. Server lines go to the {@code logger}s, else to the main log
 * ({@code logto}, or standard error); request lines go to the {@code req-logger}s, else wherever server lines go.
 *
 * <p>Writes, rotations and reopenings are serialised by one lock, so a rotation never falls inside a line. The
 * routes can be replaced at a reload ({@link #replace}). Thread-safe.
 */
public final class LogRoutes {
    private final Object lock = new Object();
    private List<LogTarget> server;
    private List<LogTarget> requests;

    /**
     * @param server where server lines go (never empty)
     * @param requests where request lines go (never empty; may share targets with {@code server})
     */
    public LogRoutes(List<LogTarget> server, List<LogTarget> requests) {
        this.server = List.copyOf(server);
        this.requests = List.copyOf(requests);
    }

    /**
     * Writes whole server lines (the last byte is a line break).
     *
     * @param pid the process that wrote them
     */
    public void server(long pid, byte[] bytes, int offset, int length) {
        synchronized (lock) {
            for (LogTarget t : server) {
                t.write(pid, bytes, offset, length);
            }
        }
    }

    /**
     * Writes whole request lines (the last byte is a line break).
     *
     * @param pid the worker that wrote them
     */
    public void requests(long pid, byte[] bytes, int offset, int length) {
        synchronized (lock) {
            for (LogTarget t : requests) {
                t.write(pid, bytes, offset, length);
            }
        }
    }

    /**
     * Writes one server line of this process (the master), adding the line break.
     *
     * @param text the line, possibly several lines (a stack trace)
     */
    public void line(String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        server(ProcessHandle.current().pid(), bytes, 0, bytes.length);
    }

    /** Reopens every file target (FIFO {@code l}, {@code touch-logreopen}, {@code log-reopen}). */
    public void reopen() {
        synchronized (lock) {
            for (LogTarget t : targets()) {
                t.reopen();
            }
        }
    }

    /** Rotates every file target (FIFO {@code L}, {@code touch-logrotate}). */
    public void rotate() {
        synchronized (lock) {
            for (LogTarget t : targets()) {
                t.rotate();
            }
        }
    }

    /**
     * Switches to new targets (a reload changed the logging options) and closes the old ones that are not reused.
     *
     * @param newServer the new server targets
     * @param newRequests the new request targets
     */
    public void replace(List<LogTarget> newServer, List<LogTarget> newRequests) {
        List<LogTarget> old;
        synchronized (lock) {
            old = targets();
            server = List.copyOf(newServer);
            requests = List.copyOf(newRequests);
            old.removeAll(targets());
        }
        old.forEach(LogTarget::close);
    }

    /** Returns every target once. */
    public List<LogTarget> targets() {
        synchronized (lock) {
            Set<LogTarget> all = new LinkedHashSet<>(server);
            all.addAll(requests);
            return new ArrayList<>(all);
        }
    }
}
