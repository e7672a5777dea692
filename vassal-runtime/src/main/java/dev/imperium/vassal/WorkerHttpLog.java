package dev.imperium.vassal;

import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Log;


/**
 * Logs what the HTTP/1.1 layer reports in a worker, in uWSGI's style where uWSGI has a line for it (e.g.
 * {@code invalid HTTP request size (max 4096)...skip} for a head over {@code buffer-size}).
 */
final class WorkerHttpLog implements Http1Log {
    private final int bufferSize;

    WorkerHttpLog(int bufferSize) {
        this.bufferSize = bufferSize;
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
        Log.line("socket timeout while " + (phase.equals("write") ? "writing a response to " : "reading from ")
                + remoteAddress);
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
