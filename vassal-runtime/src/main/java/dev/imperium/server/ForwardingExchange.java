package dev.imperium.server;

import dev.imperium.http.HttpFields;

import java.io.IOException;
import java.io.InputStream;

/**
 * An exchange that passes every call to another one; subclasses override what they change (the request body, the
 * response fields, ...).
 */
public abstract class ForwardingExchange implements Exchange {
    /** The exchange calls go to. */
    protected final Exchange delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingExchange(Exchange delegate) {
        this.delegate = delegate;
    }

    @Override
    public RequestHead request() {
        return delegate.request();
    }

    @Override
    public InputStream body() {
        return delegate.body();
    }

    @Override
    public ResponseBody respond(int status, HttpFields fields, long contentLength) throws IOException {
        return delegate.respond(status, fields, contentLength);
    }

    @Override
    public void abort() {
        delegate.abort();
    }

    @Override
    public boolean committed() {
        return delegate.committed();
    }

    @Override
    public int status() {
        return delegate.status();
    }

    @Override
    public int headerCount() {
        return delegate.headerCount();
    }

    @Override
    public long headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public long bodyBytes() {
        return delegate.bodyBytes();
    }
}
