package dev.imperium.fastcgi;

import java.nio.ByteBuffer;

/**
 * The body of an {@code FCGI_BEGIN_REQUEST} record (FastCGI Specification 1.0, section 5.1): {@code role} (u16
 * big-endian), {@code flags} (u8, of which only {@link #FLAG_KEEP_CONN} is defined), five reserved bytes.
 *
 * <p>Any role is decoded: one the application does not play is answered with an {@code FCGI_END_REQUEST} whose
 * protocol status is {@link FcgiRecordEncoder#UNKNOWN_ROLE} (section 5.5), not by closing the connection. uWSGI 2.0
 * ({@code proto/fastcgi.c}) skips this record altogether: it serves every request as a Responder and closes the
 * connection after each one whatever the flags say.
 *
 * @param role 0..65535; {@link #RESPONDER}, {@link #AUTHORIZER}, {@link #FILTER}, or unknown
 * @param keepConn whether the web server keeps the connection open after the request ({@code flags &
 *     FCGI_KEEP_CONN}); if false the application closes it once it has answered (section 5.1)
 */
public record FcgiBeginRequest(int role, boolean keepConn) {
    /** The body's size on the wire: 8 bytes. */
    public static final int SIZE = 8;
    /** {@code FCGI_RESPONDER} (1): the CGI/1.1 role, receives a request and answers it (section 6.2). */
    public static final int RESPONDER = 1;
    /** {@code FCGI_AUTHORIZER} (2): answers whether to authorize a request (section 6.3). */
    public static final int AUTHORIZER = 2;
    /** {@code FCGI_FILTER} (3): filters a file sent as {@code FCGI_DATA} (section 6.4). */
    public static final int FILTER = 3;
    /** {@code FCGI_KEEP_CONN} (1): the bit of {@code flags} that keeps the connection open (section 5.1). */
    public static final int FLAG_KEEP_CONN = 1;

    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException if {@code role} does not fit 16 bits
     */
    public FcgiBeginRequest {
        if ((role & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("FastCGI role out of range: " + role);
        }
    }

    /**
     * Reads the body from a BEGIN_REQUEST record's content: the bytes from {@code content}'s position to its limit.
     * Does not move the position. Flag bits other than {@code FCGI_KEEP_CONN} and the reserved bytes are ignored.
     *
     * @param content the record's content, exactly {@link #SIZE} bytes
     * @return the body
     * @throws FcgiProtocolException if the content is not 8 bytes long
     */
    public static FcgiBeginRequest decode(ByteBuffer content) throws FcgiProtocolException {
        if (content.remaining() != SIZE) {
            throw new FcgiProtocolException("FastCGI BEGIN_REQUEST body of " + content.remaining()
                    + " bytes (must be 8)");
        }
        int at = content.position();
        int role = (content.get(at) & 0xFF) << 8 | (content.get(at + 1) & 0xFF);
        return new FcgiBeginRequest(role, (content.get(at + 2) & FLAG_KEEP_CONN) != 0);
    }

    /**
     * Writes the body's 8 bytes to {@code out}, advancing its position; reserved bytes are 0. For web-server-side
     * code and tests.
     *
     * @param out at least {@link #SIZE} bytes of room
     * @throws java.nio.BufferOverflowException if there is less room (nothing is written then)
     */
    public void encode(ByteBuffer out) {
        if (out.remaining() < SIZE) {
            throw new java.nio.BufferOverflowException();
        }
        out.put((byte) (role >>> 8)).put((byte) role).put((byte) (keepConn ? FLAG_KEEP_CONN : 0))
                .putInt(0).put((byte) 0);
    }

    /** Returns whether the role is {@link #RESPONDER}, the only one an app server like uWSGI plays. */
    public boolean isResponder() {
        return role == RESPONDER;
    }
}
