package dev.imperium.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds uWSGI 2.0's stats document (uwsgi-docs "The uWSGI Stats Server"; {@code core/master_utils.c}
 * {@code uwsgi_master_generate_stats}) from what the master gathered: the same members, in the same order, with the
 * same types, so that {@code uwsgitop} and exporters written for uWSGI read it unchanged. Times are microseconds
 * except {@code last_spawn} and {@code request_start} (epoch seconds); memory is in bytes.
 *
 * <p>What Imperium has no counterpart for is present with uWSGI's empty value: {@code locks} is empty (Imperium has
 * none of uWSGI's shared-memory locks), {@code signals} and {@code signal_queue} are 0 (no uWSGI signals), each
 * worker's {@code apps} is empty (uWSGI's JVM plugin registers no app in uWSGI's app table either) and
 * {@code offloaded_requests} is 0 (no offload threads). The members uWSGI writes only when it has them
 * ({@code caches}, {@code metrics}, {@code spoolers}, {@code crons}, {@code legions}) are left out, as uWSGI leaves
 * them out; {@code daemons} is written when the vassal has attached daemons.
 */
public final class StatsDocument {
    /**
     * The whole vassal.
     *
     * @param version the server's version string
     * @param listenQueue connections waiting to be accepted: the largest queue of the sockets
     * @param listenQueueErrors listen queue overflows (uWSGI 2.0 never counts them: 0)
     * @param signalQueue bytes in the uWSGI signal queue (none here: 0)
     * @param load uWSGI's load, which is the listen queue
     * @param pid the master's pid
     * @param uid the master's real user id
     * @param gid the master's real group id
     * @param cwd the master's working directory
     * @param daemons the attached daemons; the member is left out when there are none
     * @param sockets the vassal's sockets, in order
     * @param workers the worker slots, 1 to {@code processes}
     */
    public record Snapshot(String version, long listenQueue, long listenQueueErrors, long signalQueue, long load,
            long pid, long uid, long gid, String cwd, List<Daemon> daemons, List<Socket> sockets,
            List<Worker> workers) {
    }

    /**
     * An attached daemon.
     *
     * @param cmd its command
     * @param pid its pid, 0 while it is not running
     * @param respawns how often it was started again
     */
    public record Daemon(String cmd, long pid, long respawns) {
    }

    /**
     * A listening socket.
     *
     * @param name its address ({@code 127.0.0.1:8080}, a path, {@code @name})
     * @param proto its protocol as uWSGI names it: {@code http}, {@code uwsgi}, {@code fastcgi}, ...
     * @param queue connections waiting to be accepted now (TCP; 0 for UNIX sockets, as uWSGI on Linux)
     * @param maxQueue the size of that queue (TCP; 0 for UNIX sockets, as uWSGI on Linux)
     * @param shared whether it is a {@code shared-socket}
     * @param canOffload whether offload threads may write to it (never here)
     */
    public record Socket(String name, String proto, long queue, long maxQueue, boolean shared, boolean canOffload) {
    }

    /**
     * A worker slot. Counters are totals since the master started, over every process that ran in the slot.
     *
     * @param id the slot, 1..processes
     * @param pid the pid of the process serving in the slot, 0 when none does (cheap)
     * @param accepting whether that process accepts connections
     * @param requests requests served
     * @param deltaRequests requests served by the current process (what {@code max-requests} counts)
     * @param exceptions requests an app failed
     * @param harakiriCount harakiri kills
     * @param status {@code idle}, {@code busy}, {@code cheap} or {@code pause}
     * @param rss the current process's resident memory, bytes
     * @param vsz the current process's virtual memory, bytes
     * @param runningTimeMicros time spent serving requests
     * @param lastSpawn when the current (or last) process started, epoch seconds
     * @param respawnCount processes started in the slot, the first included (as uWSGI counts)
     * @param tx bytes sent
     * @param avgRtMicros uWSGI's running average of the response time: {@code (avg + rt) / 2} per request
     * @param cores the request slots, 0..threads-1
     */
    public record Worker(int id, long pid, boolean accepting, long requests, long deltaRequests, long exceptions,
            long harakiriCount, String status, long rss, long vsz, long runningTimeMicros, long lastSpawn,
            long respawnCount, long tx, long avgRtMicros, List<Core> cores) {
    }

    /**
     * A core (request slot) of a worker slot.
     *
     * @param id 0..threads-1
     * @param requests requests served
     * @param staticRequests requests answered with a static file
     * @param routedRequests requests answered by internal routing
     * @param writeErrors responses that could not be written
     * @param readErrors request bodies that could not be read
     * @param inRequest whether a request is in flight on it now
     * @param vars the in-flight request's variables as {@code KEY=VALUE}, empty when idle
     * @param requestStart when the in-flight request started, epoch seconds; ignored when idle
     */
    public record Core(int id, long requests, long staticRequests, long routedRequests, long writeErrors,
            long readErrors, boolean inRequest, List<String> vars, long requestStart) {
    }

    private StatsDocument() {
    }

    /**
     * Returns the document as an ordered tree for {@link StatsJson}.
     *
     * @param s the values
     * @param cores false under {@code stats-no-cores}: each worker's {@code cores} member is left out
     */
    public static Map<String, Object> tree(Snapshot s, boolean cores) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("version", s.version());
        top.put("listen_queue", s.listenQueue());
        top.put("listen_queue_errors", s.listenQueueErrors());
        top.put("signal_queue", s.signalQueue());
        top.put("load", s.load());
        top.put("pid", s.pid());
        top.put("uid", s.uid());
        top.put("gid", s.gid());
        top.put("cwd", s.cwd());
        if (!s.daemons().isEmpty()) {
            List<Object> daemons = new ArrayList<>();
            for (Daemon d : s.daemons()) {
                Map<String, Object> daemon = new LinkedHashMap<>();
                daemon.put("cmd", d.cmd());
                daemon.put("pid", d.pid());
                daemon.put("respawns", d.respawns());
                daemons.add(daemon);
            }
            top.put("daemons", daemons);
        }
        top.put("locks", List.of());
        List<Object> sockets = new ArrayList<>();
        for (Socket socket : s.sockets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", socket.name());
            m.put("proto", socket.proto());
            m.put("queue", socket.queue());
            m.put("max_queue", socket.maxQueue());
            m.put("shared", flag(socket.shared()));
            m.put("can_offload", flag(socket.canOffload()));
            sockets.add(m);
        }
        top.put("sockets", sockets);
        List<Object> workers = new ArrayList<>();
        for (Worker w : s.workers()) {
            workers.add(worker(w, cores));
        }
        top.put("workers", workers);
        return top;
    }

    private static Map<String, Object> worker(Worker w, boolean withCores) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", (long) w.id());
        m.put("pid", w.pid());
        m.put("accepting", flag(w.accepting()));
        m.put("requests", w.requests());
        m.put("delta_requests", w.deltaRequests());
        m.put("exceptions", w.exceptions());
        m.put("harakiri_count", w.harakiriCount());
        m.put("signals", 0L);
        m.put("signal_queue", 0L);
        m.put("status", w.status());
        m.put("rss", w.rss());
        m.put("vsz", w.vsz());
        m.put("running_time", w.runningTimeMicros());
        m.put("last_spawn", w.lastSpawn());
        m.put("respawn_count", w.respawnCount());
        m.put("tx", w.tx());
        m.put("avg_rt", w.avgRtMicros());
        m.put("apps", List.of());
        if (withCores) {
            List<Object> cores = new ArrayList<>();
            for (Core c : w.cores()) {
                cores.add(core(c));
            }
            m.put("cores", cores);
        }
        return m;
    }

    private static Map<String, Object> core(Core c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", (long) c.id());
        m.put("requests", c.requests());
        m.put("static_requests", c.staticRequests());
        m.put("routed_requests", c.routedRequests());
        m.put("offloaded_requests", 0L);
        m.put("write_errors", c.writeErrors());
        m.put("read_errors", c.readErrors());
        m.put("in_request", flag(c.inRequest()));
        List<Object> vars = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        if (c.inRequest()) {
            vars.addAll(c.vars());
            if (!vars.isEmpty()) {
                vars.add(""); // uWSGI ends the list with an empty string (each var is followed by a comma)
            }
            info.put("request_start", c.requestStart());
        }
        m.put("vars", vars);
        m.put("req_info", info);
        return m;
    }

    /**
     * Returns the vassal's totals for its emperor: the {@code "imperium"} member of the report (see
     * {@link ImperiumTotals}).
     *
     * @param document the tree from {@link #tree}; the member is added last
     * @param totals the totals
     * @return {@code document}
     */
    public static Map<String, Object> withImperium(Map<String, Object> document, ImperiumTotals totals) {
        document.put("imperium", totals.tree());
        return document;
    }

    private static Long flag(boolean value) {
        return value ? 1L : 0L;
    }
}
