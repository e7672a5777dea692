package dev.imperium.cli;

import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.VassalStatus;
import dev.imperium.emperor.stats.StatsReport;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The frames of {@code imperium top}, like uwsgitop's: one row per worker of every vassal (requests, requests per
 * second since the previous frame, average request time, RSS, bytes sent, respawns), from each vassal's latest stats
 * report; a vassal that has not reported yet gets one row with what the emperor knows. A worker field the report
 * lacks shows as 0. Keeps the previous frame's counters to compute the rates; pure apart from that.
 */
final class TopScreen {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private record Sample(long requests, long nanos) {
    }

    private final ZoneId zone;
    private final Map<String, Sample> previous = new HashMap<>();

    /** Creates a screen showing times in {@code zone}. */
    TopScreen(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * Renders one frame and remembers its counters for the next one's rates.
     *
     * @param status the emperor's answer
     * @param nowNanos {@link System#nanoTime()} when the answer came
     * @param now the wall-clock time, for the header
     * @param intervalSeconds the refresh period, for the header
     * @return the frame's text
     */
    String render(ControlReply.Status status, long nowNanos, Instant now, double intervalSeconds) {
        Map<String, Sample> current = new HashMap<>();
        Table table = new Table(new String[] {"VASSAL", "WID", "PID", "STATUS", "REQ", "RPS", "AVG", "RSS", "TX",
            "RESPAWN"}, false, true, true, false, true, true, true, true, true, true);
        long totalRequests = 0;
        double totalRps = 0;
        long totalRss = 0;
        int withStats = 0;
        int serving = 0;
        for (VassalStatus v : status.vassals()) {
            if (v.serving()) {
                serving++;
            }
            StatsReport stats = v.serving() ? StatsReport.parse(v.statsJson()) : null;
            if (stats == null) {
                table.row(v.name(), null, v.pid() > 0 ? Long.toString(v.pid()) : null, v.state().name());
                continue;
            }
            withStats++;
            totalRss += stats.totalRssBytes();
            for (StatsReport.Worker w : stats.workers()) {
                int id = Math.max(0, w.id());
                long pid = Math.max(0, w.pid());
                long requests = Math.max(0, w.requests());
                String key = v.name() + "/" + id + "/" + pid;
                current.put(key, new Sample(requests, nowNanos));
                Sample before = previous.get(key);
                String rps = null;
                if (before != null && nowNanos > before.nanos() && requests >= before.requests()) {
                    double r = (requests - before.requests()) / ((nowNanos - before.nanos()) / 1e9);
                    totalRps += r;
                    rps = String.format(Locale.ROOT, r >= 10 ? "%.0f" : "%.1f", r);
                }
                totalRequests += requests;
                table.row(v.name(), Integer.toString(id), Long.toString(pid), w.status(), Long.toString(requests),
                        rps, requests > 0 ? Units.micros(Math.max(0, w.avgRtMicros())) : null,
                        Units.bytes(Math.max(0, w.rssBytes())), Units.bytes(Math.max(0, w.txBytes())),
                        Long.toString(Math.max(0, w.respawns())));
            }
        }
        previous.clear();
        previous.putAll(current);

        StringBuilder out = new StringBuilder();
        out.append("imperium top - ").append(CLOCK.format(now.atZone(zone))).append(", emperor pid ")
                .append(status.emperor().pid()).append(", up ").append(Units.uptime(status.emperor().uptimeSeconds()))
                .append(", ").append(status.vassals().size()).append(" vassal")
                .append(status.vassals().size() == 1 ? "" : "s").append(" (").append(serving).append(" serving)")
                .append(", refresh ").append(intervalSeconds == Math.rint(intervalSeconds)
                        ? Long.toString((long) intervalSeconds) : String.format(Locale.ROOT, "%.1f", intervalSeconds))
                .append(" s\n");
        if (withStats > 0) {
            out.append(String.format(Locale.ROOT, "requests: %d served, %.1f req/s; memory: %s RSS%n",
                    totalRequests, totalRps, Units.bytes(totalRss)));
        }
        out.append('\n');
        if (status.vassals().isEmpty()) {
            out.append("no vassals in ").append(status.emperor().vassalsDir()).append('\n');
            return out.toString();
        }
        out.append(table.render());
        int missing = serving - withStats;
        if (withStats == 0) {
            out.append("\nstats are not available: no vassal has reported yet (a serving vassal reports every 2 s);"
                    + " showing what the emperor knows\n");
        } else if (missing > 0) {
            out.append("\nstats are not available for ").append(missing).append(" serving vassal")
                    .append(missing == 1 ? "" : "s").append(": no report yet\n");
        }
        return out.toString();
    }
}
