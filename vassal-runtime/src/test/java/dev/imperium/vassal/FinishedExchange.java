package dev.imperium.vassal;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;

import java.io.InputStream;

/**
 * An exchange already answered, for the request-log tests: its status, one response field, a head of
 * {@code headerBytes} and a body of {@code bodyBytes}.
 */
record FinishedExchange(RequestHead request, int status, long headerBytes, long bodyBytes) implements Exchange {
    @Override
    public InputStream body() {
        return InputStream.nullInputStream();
    }

    @Override
    public ResponseBody respond(int s, HttpFields fields, long contentLength) {
        throw new IllegalStateException("already answered");
    }

    @Override
    public void abort() {
    }

    @Override
    public boolean committed() {
        return true;
    }

    @Override
    public int headerCount() {
        return 1;
    }
}
