package dev.imperium.server;

import java.io.InputStream;
import java.util.Objects;

/**
 * An exchange seen with another request head (and, optionally, another body): what a mounted app sees after
 * {@code manage-script-name} moved its mountpoint into {@code SCRIPT_NAME}, or what the handlers see for a CGI local
 * redirect (RFC 3875 §6.2.2). The response still goes to the original exchange.
 */
public final class RewrittenExchange extends ForwardingExchange {
    private final RequestHead request;
    private final InputStream body;

    /**
     * Wraps an exchange.
     *
     * @param delegate where the response goes
     * @param request the head handlers see instead of the delegate's
     * @param body the body handlers read instead of the delegate's, or null to keep the delegate's
     */
    public RewrittenExchange(Exchange delegate, RequestHead request, InputStream body) {
        super(Objects.requireNonNull(delegate, "delegate"));
        this.request = Objects.requireNonNull(request, "request");
        this.body = body;
    }

    /** Returns {@code exchange} seen with {@code head}; its body unchanged. */
    public static Exchange of(Exchange exchange, RequestHead head) {
        return head == exchange.request() ? exchange : new RewrittenExchange(exchange, head, null);
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public InputStream body() {
        return body != null ? body : delegate.body();
    }
}
