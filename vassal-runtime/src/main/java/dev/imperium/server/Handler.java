package dev.imperium.server;

/**
 * Serves requests: a static-file mapper, a JWSGI app, a typed-API app.
 *
 * <p>Called on the connection's thread; may block. Several threads may call one handler at once (up to the vassal's
 * {@code threads}).
 */
@FunctionalInterface
public interface Handler {
    /**
     * Serves one exchange, or declines it.
     *
     * @param exchange the request and its response
     * @return true if this handler answered (it called {@link Exchange#respond}); false to let the next handler try
     * @throws Exception anything the app throws; the caller logs it and answers 500 if no response was started
     */
    boolean handle(Exchange exchange) throws Exception;
}
