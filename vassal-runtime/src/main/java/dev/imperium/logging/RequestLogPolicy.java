package dev.imperium.logging;

/**
 * Which requests get a log line, as uWSGI 2.0's {@code log_request} decides ({@code core/logging.c}): routing's
 * {@code donotlog:} wins over everything; then a request that matches one of {@code log-zero}, {@code log-slow},
 * {@code log-4xx}, {@code log-5xx}, {@code log-big} or {@code log-ioerror} is logged even under
 * {@code disable-logging}; any other request is logged unless {@code disable-logging} is set.
 *
 * @param enabled false under {@code disable-logging}
 * @param zero log responses without a body ({@code log-zero})
 * @param slowMillis log requests that took at least this many ms ({@code log-slow}; 0 = off)
 * @param clientErrors log 4xx responses ({@code log-4xx})
 * @param serverErrors log 5xx responses ({@code log-5xx})
 * @param bigBytes log responses whose body has at least this many bytes ({@code log-big}; 0 = off)
 * @param ioErrors log requests that ended in an I/O error with the client ({@code log-ioerror})
 */
public record RequestLogPolicy(boolean enabled, boolean zero, long slowMillis, boolean clientErrors,
                               boolean serverErrors, long bigBytes, boolean ioErrors) {
    /** uWSGI's default: every request is logged. */
    public static final RequestLogPolicy DEFAULT = new RequestLogPolicy(true, false, 0, false, false, 0, false);

    /** Returns true if no request can ever be logged (so nothing needs to be measured). */
    public boolean never() {
        return !enabled && !zero && slowMillis <= 0 && !clientErrors && !serverErrors && bigBytes <= 0 && !ioErrors;
    }

    /**
     * Decides for one finished request.
     *
     * @param doNotLog routing's {@code donotlog:} ran
     * @param status the response status (0 if none was sent)
     * @param bodyBytes the response body bytes sent
     * @param durationMicros how long the request took
     * @param ioError the exchange ended in an I/O error with the client
     * @return true to write a log line
     */
    public boolean shouldLog(boolean doNotLog, int status, long bodyBytes, long durationMicros, boolean ioError) {
        if (doNotLog) {
            return false;
        }
        if (zero && bodyBytes == 0
                || slowMillis > 0 && durationMicros / 1000 >= slowMillis
                || clientErrors && status >= 400 && status <= 499
                || serverErrors && status >= 500 && status <= 599
                || bigBytes > 0 && bodyBytes >= bigBytes
                || ioErrors && ioError) {
            return true;
        }
        return enabled;
    }
}
