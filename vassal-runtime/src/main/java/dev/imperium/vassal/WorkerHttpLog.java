package dev.imperium.vassal;

import dev.imperium.logging.ThrottledLines;
import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Log;
import dev.imperium.server.net.BodyReadException;


/**
 * Logs what the HTTP/1.1 layer reports in a worker, in uWSGI's style where uWSGI has a line for it (e.g.
 * {@code invalid HTTP request size (max 4096)...skip} for a head over {@code buffer-size}).
 *
 * <p>What slow clients cause (socket timeouts, request bodies cut short) is rate-limited
 * ({@link ThrottledLines}): one line per kind, then at most one summary per 5 seconds, so that 500 slow clients
 * timing out together give two lines, not 500.
 */
final class WorkerHttpLog implements Http1Log {
    private final int bufferSize;
    private final ThrottledLines timeouts;
    private final ThrottledLines bodyReads;
    private final ThrottledLines full;
    private final int workerId;

    WorkerHttpLog(int bufferSize) {
        this(bufferSize, 0);
    }

    /**
     * @param bufferSize {@code buffer-size}, named in the line for a head over it
     * @param workerId the worker's number, named in the line for a full connection table (0: none)
     */
    WorkerHttpLog(int bufferSize, int workerId) {
        this.workerId = workerId;
        this.full = new ThrottledLines(ThrottledLines.DEFAULT_WINDOW, "times the connection limit was reached",
                Log::line);
        this.bufferSize = bufferSize;
        this.timeouts = new ThrottledLines(ThrottledLines.DEFAULT_WINDOW, "socket timeouts", Log::line);
        this.bodyReads = new ThrottledLines(ThrottledLines.DEFAULT_WINDOW, "request bodies cut short", Log::line);
    }

    @Override
    public void requestRejected(String remoteAddress, int status, String reason) {
        if (status == 431) {
            Log.line("invalid HTTP request size (max " + bufferSize + ")...skip (" + remoteAddress + ")");
        } else {
            Log.line("HTTP request from " + remoteAddress + " refused with " + status + ": " + reason);
        }
    }

    @Override
    public void handlerFailed(RequestHead request, Throwable failure) {
        String what = request == null ? "connection" : request.method() + " " + request.target();
        Log.error("error while serving " + what + ": " + failure, failure);
    }

    @Override
    public void timedOut(String remoteAddress, String phase) {
        timeouts.log("socket timeout while " + (phase.equals("write") ? "writing a response to " : "reading from ")
                + remoteAddress);
    }

    /**
     * The worker holds {@code imperium-max-connections} connections and accepts no more until one closes (issue 8:
     * slow clients); rate-limited.
     */
    void connectionLimitReached(int max) {
        full.log("imperium-max-connections reached: worker " + workerId + " holds " + max
                + " connections, new clients wait in the listen queue");
    }

    @Override
    public void bodyReadFailed(String remoteAddress, BodyReadException failure) {
        bodyReads.log(failure.getMessage() + (remoteAddress.isEmpty() ? "" : " (" + remoteAddress + ")"));
    }

    @Override
    public void protocolError(String line) {
        Log.line(line);
    }

    @Override
    public void acceptLog(String line) {
        Log.line(line);
    }
}
