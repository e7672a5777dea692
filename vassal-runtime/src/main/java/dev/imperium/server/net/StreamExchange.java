package dev.imperium.server.net;

import dev.imperium.http.ResponseHeadEncoder;
import dev.imperium.server.Exchange;

/**
 * What every exchange on a byte stream keeps about its response once started: the body, the status and the head's
 * size for the request log, and how to forget a response that was never sent. Subclasses decide the head and the
 * framing in {@link Exchange#respond}, then call {@link #started}.
 */
public abstract class StreamExchange implements Exchange {
    private final OutputBuffer output;
    private StreamResponseBody response;
    private int status;
    private int headerCount;
    private long headerBytes;
    private boolean aborted;

    /** @param output the connection's output buffer, where the response head is held until the first write */
    protected StreamExchange(OutputBuffer output) {
        this.output = output;
    }

    /**
     * Records a started response: holds the encoded head in the output buffer and returns the body.
     *
     * @param status the status sent
     * @param head the encoded head (status-line or {@code Status:} line, fields, empty line)
     * @param sink where the bytes go
     * @param mode how the body is delimited
     * @param contentLength the body length for {@link StreamResponseBody.Mode#LENGTH}
     */
    protected final StreamResponseBody started(int status, ResponseHeadEncoder head, ByteSink sink,
            StreamResponseBody.Mode mode, long contentLength) {
        output.setRaw(head.array(), head.length());
        this.status = status;
        this.headerCount = head.fieldCount();
        this.headerBytes = head.length();
        response = new StreamResponseBody(sink, output, mode, contentLength);
        return response;
    }

    /** Throws if a response was already started (only one per exchange). */
    protected final void checkNotStarted() {
        if (response != null) {
            throw new IllegalStateException("a response was already started");
        }
    }

    @Override
    public void abort() {
        if (response == null) {
            aborted = true;
        }
    }

    /** Returns true if the handler ended the exchange without an answer ({@link #abort}). */
    public boolean aborted() {
        return aborted && response == null;
    }

    @Override
    public boolean committed() {
        return response != null;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public int headerCount() {
        return headerCount;
    }

    @Override
    public long headerBytes() {
        return headerBytes;
    }

    @Override
    public long bodyBytes() {
        return response == null ? 0 : response.written();
    }

    /** Returns the response body, or null before {@link Exchange#respond}. */
    public StreamResponseBody response() {
        return response;
    }

    /**
     * Returns the response that stands after the handler ended: when the handler threw before any byte of its
     * response went out, that response is forgotten (so an error answer can take its place) and null is returned.
     *
     * @param failure what the handler threw, or null
     */
    public StreamResponseBody responseAfter(Throwable failure) {
        if (response != null && failure != null && !response.sentAnything() && !response.isClosed()) {
            discardResponse();
        }
        return response;
    }

    /**
     * Returns the problem to log for a handler that ended without throwing and without answering.
     *
     * @param handled what the handler returned
     */
    public static IllegalStateException unanswered(boolean handled) {
        return new IllegalStateException(handled ? "the handler returned true without responding"
                : "no handler answered");
    }

    /** Forgets a response whose bytes were never sent, so another can be sent instead. */
    public void discardResponse() {
        response = null;
        status = 0;
        headerCount = 0;
        headerBytes = 0;
        output.clear();
    }
}
