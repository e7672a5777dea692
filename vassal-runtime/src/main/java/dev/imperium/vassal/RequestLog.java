package dev.imperium.vassal;

import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;

/**
 * Formats uWSGI's default request log line ({@code uwsgi_logit_simple}, uwsgi-docs "LogFormat"):
 * <pre>
 * [pid: 6093|app: 0|req: 1/1] 127.0.0.1 () {24 vars in 255 bytes} [Tue Nov 24 23:28:38 2026] GET /x?y=1
 *   => generated 3 bytes in 0 msecs (HTTP/1.1 200) 1 headers in 45 bytes (1 switches on core 0)
 * </pre>
 * (one line). The parentheses hold {@code REMOTE_USER} when the request has one (a front server's variable, or
 * what routing's {@code basicauth} set). "headers in N bytes" counts the whole response head: status line, fields and
 * the blank line. With {@code log-micros} the time is in microseconds ({@code in 166 micros}).
 */
final class RequestLog {
    private final long pid = ProcessHandle.current().pid();
    private final boolean micros;

    RequestLog() {
        this(false);
    }

    /** @param micros give the time in microseconds ({@code log-micros}) */
    RequestLog(boolean micros) {
        this.micros = micros;
    }

    /**
     * Builds the line for one finished request.
     *
     * @param exchange the finished exchange
     * @param appId the app id (0), or -1 when no app is loaded
     * @param appRequests requests served by the app in this worker
     * @param workerRequests requests served by this worker
     * @param varCount the number of request vars (CGI variables), as uWSGI counts its vars block
     * @param varBytes the size of that vars block, in bytes
     * @param startMillis when the request started (epoch ms)
     * @param durationMillis how long it took, in ms
     * @param core the core (request slot) that served it
     */
    String format(Exchange exchange, int appId, long appRequests, long workerRequests, int varCount, int varBytes,
            long startMillis, long durationMillis, int core) {
        return format(exchange, exchange.request().remoteAddress(), appId, appRequests, workerRequests, varCount,
                varBytes, startMillis, durationMillis * 1000, core);
    }

    /**
     * Builds the line for one finished request, with the address it shows.
     *
     * @param address the client address the line shows
     * @param durationMicros how long it took, in µs
     */
    String format(Exchange exchange, String address, int appId, long appRequests, long workerRequests, int varCount,
            int varBytes, long startMillis, long durationMicros, int core) {
        RequestHead head = exchange.request();
        StringBuilder sb = new StringBuilder(200);
        sb.append("[pid: ").append(pid).append("|app: ").append(appId).append("|req: ").append(appRequests)
                .append('/').append(workerRequests).append("] ")
                .append(address).append(" (").append(remoteUser(head)).append(") {")
                .append(varCount).append(" vars in ").append(varBytes).append(" bytes} [")
                .append(Log.ctime(startMillis)).append("] ")
                .append(head.method()).append(' ').append(head.target())
                .append(" => generated ").append(exchange.bodyBytes()).append(" bytes in ")
                .append(micros ? durationMicros : durationMicros / 1000).append(micros ? " micros (" : " msecs (")
                .append(head.protocol()).append(' ').append(exchange.status()).append(") ")
                .append(exchange.headerCount()).append(" headers in ").append(exchange.headerBytes())
                .append(" bytes (1 switches on core ").append(core).append(')');
        return sb.toString();
    }

    /** The {@code REMOTE_USER} variable (a front server's, or one internal routing set), or "". */
    private static String remoteUser(RequestHead head) {
        String user = head.cgiVars() == null ? null : head.cgiVars().get("REMOTE_USER");
        return user == null ? "" : user;
    }
}
