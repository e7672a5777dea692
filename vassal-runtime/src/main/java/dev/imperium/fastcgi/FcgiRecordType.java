package dev.imperium.fastcgi;

/**
 * The record types of FastCGI 1.0 (FastCGI Specification 1.0, section 8 "Types and Constants"), as the {@code int}
 * values of {@link FcgiRecordHeader#type()}. Types 1 to 8 are application records (about one request, a non-zero
 * request id); 9 to 11 are management records (request id 0, section 3.3 "Types of Record Types"). Any other value
 * is a type this version does not know, to be answered with {@link #UNKNOWN_TYPE} when it comes as a management
 * record (section 4.2).
 */
public final class FcgiRecordType {
    /** {@code FCGI_BEGIN_REQUEST} (1): starts a request; its 8-byte body is a {@link FcgiBeginRequest} (section 5.1). */
    public static final int BEGIN_REQUEST = 1;
    /** {@code FCGI_ABORT_REQUEST} (2): the web server gives up on a request (section 5.4). */
    public static final int ABORT_REQUEST = 2;
    /** {@code FCGI_END_REQUEST} (3): the application ends a request (section 5.5). */
    public static final int END_REQUEST = 3;
    /** {@code FCGI_PARAMS} (4): a stream of name-value pairs, the CGI environment (section 5.2). */
    public static final int PARAMS = 4;
    /** {@code FCGI_STDIN} (5): the stream of the request body (section 5.3). */
    public static final int STDIN = 5;
    /** {@code FCGI_STDOUT} (6): the stream of the response, CGI headers then body (section 5.3). */
    public static final int STDOUT = 6;
    /** {@code FCGI_STDERR} (7): the stream of error text for the web server's log (section 5.3). */
    public static final int STDERR = 7;
    /** {@code FCGI_DATA} (8): a second input stream, for the Filter role (section 5.3). */
    public static final int DATA = 8;
    /** {@code FCGI_GET_VALUES} (9): the web server asks for the application's limits (section 4.1). */
    public static final int GET_VALUES = 9;
    /** {@code FCGI_GET_VALUES_RESULT} (10): the answer to {@link #GET_VALUES} (section 4.1). */
    public static final int GET_VALUES_RESULT = 10;
    /** {@code FCGI_UNKNOWN_TYPE} (11): the answer to a management record of a type not known (section 4.2). */
    public static final int UNKNOWN_TYPE = 11;

    private static final String[] NAMES = {null, "BEGIN_REQUEST", "ABORT_REQUEST", "END_REQUEST", "PARAMS", "STDIN",
        "STDOUT", "STDERR", "DATA", "GET_VALUES", "GET_VALUES_RESULT", "UNKNOWN_TYPE"};

    private FcgiRecordType() {
    }

    /** Returns whether {@code type} is one of the eleven types of FastCGI 1.0 (1 to 11). */
    public static boolean isKnown(int type) {
        return type >= BEGIN_REQUEST && type <= UNKNOWN_TYPE;
    }

    /**
     * Returns the type's name for a log line: {@code "PARAMS"} for 4, {@code "type 42"} for an unknown one.
     *
     * @param type 0..255
     */
    public static String name(int type) {
        return isKnown(type) ? NAMES[type] : "type " + type;
    }
}
