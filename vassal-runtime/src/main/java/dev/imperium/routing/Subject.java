package dev.imperium.routing;

/**
 * The request variable a {@code route*} rule's regular expression is matched against (uwsgi-docs
 * "InternalRouting", "The internal routing table"). A variable the request does not have is matched as an empty
 * string.
 */
public enum Subject {
    /** {@code route}: {@code PATH_INFO}, percent-decoded. */
    PATH_INFO("", "path_info"),
    /** {@code route-host}: {@code HTTP_HOST}. */
    HTTP_HOST("-host", "http_host"),
    /** {@code route-uri}: {@code REQUEST_URI}, as received. */
    REQUEST_URI("-uri", "request_uri"),
    /** {@code route-qs}: {@code QUERY_STRING}, not decoded. */
    QUERY_STRING("-qs", "query_string"),
    /** {@code route-remote-addr}: {@code REMOTE_ADDR}. */
    REMOTE_ADDR("-remote-addr", "remote_addr"),
    /** {@code route-user-agent}: {@code HTTP_USER_AGENT}. */
    HTTP_USER_AGENT("-user-agent", "user_agent"),
    /** {@code route-remote-user}: {@code REMOTE_USER}. */
    REMOTE_USER("-remote-user", "remote_user"),
    /** {@code route-referer}: {@code HTTP_REFERER}. */
    HTTP_REFERER("-referer", "referer");

    private final String suffix;
    private final String dumpName;

    Subject(String suffix, String dumpName) {
        this.suffix = suffix;
        this.dumpName = dumpName;
    }

    /** Returns the option suffix after {@code route}, e.g. {@code -host}. */
    public String suffix() {
        return suffix;
    }

    /** Returns the request variable's name, e.g. {@code HTTP_HOST}. */
    public String variable() {
        return name();
    }

    /** Returns the name uWSGI's routing table dump gives the subject, e.g. {@code http_host}. */
    String dumpName() {
        return dumpName;
    }
}
