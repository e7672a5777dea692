package dev.imperium.fastcgi;

import dev.imperium.uwsgi.UwsgiVars;
import java.util.Objects;

/**
 * Writes the records an application sends (FastCGI Specification 1.0): STDOUT (and other stream) records, the
 * END_REQUEST record, and the answers to management records, GET_VALUES_RESULT and UNKNOWN_TYPE. Every method writes into a
 * caller's {@code byte[]} at an offset, returns the offset just past what it wrote, and allocates nothing (but for
 * {@link #writeGetValuesResult}, which is not on a request's path). Each checks first that everything fits, so it
 * writes all or nothing. Stateless and thread-safe.
 *
 * <p>No padding: every record is written with {@code paddingLength} 0. Section 3.3 only recommends 8-byte alignment,
 * and every receiver must skip whatever padding it is told of; uWSGI 2.0 ({@code proto/fastcgi.c}) pads nothing
 * either. END_REQUEST and UNKNOWN_TYPE records are 16 bytes, aligned anyway.
 */
public final class FcgiRecordEncoder {
    /** {@code FCGI_REQUEST_COMPLETE} (0): the request ended normally (section 5.5). */
    public static final int REQUEST_COMPLETE = 0;
    /** {@code FCGI_CANT_MPX_CONN} (1): a second concurrent request on one connection is refused (section 5.5). */
    public static final int CANT_MPX_CONN = 1;
    /** {@code FCGI_OVERLOADED} (2): the request is refused for want of a resource (section 5.5). */
    public static final int OVERLOADED = 2;
    /** {@code FCGI_UNKNOWN_ROLE} (3): the request's role is not one the application plays (section 5.5). */
    public static final int UNKNOWN_ROLE = 3;
    /** The size of an END_REQUEST record: 8 header + 8 body bytes. */
    public static final int END_REQUEST_LENGTH = 16;
    /** The size of an UNKNOWN_TYPE record: 8 header + 8 body bytes. */
    public static final int UNKNOWN_TYPE_LENGTH = 16;
    /**
     * The largest GET_VALUES_RESULT record {@link #writeGetValuesResult} writes: 77 bytes (header, then the three
     * pairs with 10-digit numbers).
     */
    public static final int GET_VALUES_RESULT_MAX_LENGTH = FcgiRecordHeader.SIZE + (2 + 14 + 10) + (2 + 13 + 10)
            + (2 + 15 + 1);

    private static final String MAX_CONNS = "FCGI_MAX_CONNS";
    private static final String MAX_REQS = "FCGI_MAX_REQS";
    private static final String MPXS_CONNS = "FCGI_MPXS_CONNS";

    private FcgiRecordEncoder() {
    }

    /**
     * Writes a record header (section 3.3), for a caller that writes the content itself (e.g. reserves 8 bytes
     * before body bytes and fills them in once their number is known).
     *
     * @param out the destination
     * @param off where the header starts
     * @param type the record type, 0..255 (see {@link FcgiRecordType})
     * @param requestId 0..65535
     * @param contentLength 0..65535 bytes
     * @param paddingLength 0..255 bytes
     * @return {@code off + 8}
     * @throws IllegalArgumentException if a field does not fit its width
     * @throws IndexOutOfBoundsException if the 8 bytes do not fit in {@code out}
     */
    public static int writeHeader(byte[] out, int off, int type, int requestId, int contentLength,
            int paddingLength) {
        if (((type | paddingLength) & ~0xFF) != 0 || ((requestId | contentLength) & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("FastCGI header field out of range: " + type + "/" + requestId + "/"
                    + contentLength + "/" + paddingLength);
        }
        Objects.checkFromIndexSize(off, FcgiRecordHeader.SIZE, out.length);
        header(out, off, type, requestId, contentLength, paddingLength);
        return off + FcgiRecordHeader.SIZE;
    }

    /**
     * Returns the bytes {@link #writeStream} takes for {@code dataLength} bytes of data: the data plus an 8-byte
     * header for each record of at most 65535 bytes; 0 for no data.
     *
     * @param dataLength 0 or more bytes
     * @throws IllegalArgumentException if {@code dataLength} is negative
     * @throws ArithmeticException if the result overflows an {@code int}
     */
    public static int streamLength(int dataLength) {
        if (dataLength < 0) {
            throw new IllegalArgumentException("dataLength < 0: " + dataLength);
        }
        int records = dataLength / FcgiRecordHeader.MAX_CONTENT_LENGTH
                + (dataLength % FcgiRecordHeader.MAX_CONTENT_LENGTH == 0 ? 0 : 1);
        return Math.addExact(dataLength, Math.multiplyExact(records, FcgiRecordHeader.SIZE));
    }

    /**
     * Writes data as records of a stream type (STDOUT, STDERR, ...; section 5.3): as many records as needed, each
     * holding at most 65535 bytes, all but the last full. No data writes nothing, since an empty record would end
     * the stream; that is {@link #writeStreamEnd}'s job.
     *
     * @param out the destination, with {@link #streamLength}{@code (dataLength)} bytes of room at {@code off}
     * @param off where the first record starts
     * @param type the stream's record type, 0..255
     * @param requestId 1..65535 (0 is allowed but means a management record)
     * @param data the bytes to send
     * @param dataOff the index of the first one
     * @param dataLength how many
     * @return the offset after the last record
     * @throws IllegalArgumentException if {@code type} or {@code requestId} does not fit its width
     * @throws IndexOutOfBoundsException if the data range is not in {@code data} or the records do not fit in
     *     {@code out} (nothing is written then)
     */
    public static int writeStream(byte[] out, int off, int type, int requestId, byte[] data, int dataOff,
            int dataLength) {
        checkTypeAndId(type, requestId);
        Objects.checkFromIndexSize(dataOff, dataLength, data.length);
        Objects.checkFromIndexSize(off, streamLength(dataLength), out.length);
        while (dataLength > 0) {
            int n = Math.min(dataLength, FcgiRecordHeader.MAX_CONTENT_LENGTH);
            header(out, off, type, requestId, n, 0);
            off += FcgiRecordHeader.SIZE;
            System.arraycopy(data, dataOff, out, off, n);
            off += n;
            dataOff += n;
            dataLength -= n;
        }
        return off;
    }

    /**
     * Writes data as STDOUT records: {@link #writeStream} with type {@link FcgiRecordType#STDOUT}, the response's
     * CGI headers and body (section 6.2), as uWSGI's {@code uwsgi_proto_fastcgi_write} does.
     *
     * @param out the destination, with {@link #streamLength}{@code (dataLength)} bytes of room at {@code off}
     * @param off where the first record starts
     * @param requestId 1..65535
     * @param data the bytes to send
     * @param dataOff the index of the first one
     * @param dataLength how many; 0 writes nothing
     * @return the offset after the last record
     * @throws IllegalArgumentException if {@code requestId} does not fit 16 bits
     * @throws IndexOutOfBoundsException if a range does not fit (nothing is written then)
     */
    public static int writeStdout(byte[] out, int off, int requestId, byte[] data, int dataOff, int dataLength) {
        return writeStream(out, off, FcgiRecordType.STDOUT, requestId, data, dataOff, dataLength);
    }

    /**
     * Writes the empty record that ends a stream (section 3.3 "Types of Record Types"), e.g. the end of STDOUT,
     * which must be sent before END_REQUEST even when the response was empty (section 6.1).
     *
     * @param out the destination
     * @param off where the record starts
     * @param type the stream's record type, 0..255
     * @param requestId 0..65535
     * @return {@code off + 8}
     * @throws IllegalArgumentException if {@code type} or {@code requestId} does not fit its width
     * @throws IndexOutOfBoundsException if the 8 bytes do not fit in {@code out}
     */
    public static int writeStreamEnd(byte[] out, int off, int type, int requestId) {
        return writeHeader(out, off, type, requestId, 0, 0);
    }

    /**
     * Writes the empty STDOUT record: {@link #writeStreamEnd} for {@link FcgiRecordType#STDOUT}.
     *
     * @param out the destination
     * @param off where the record starts
     * @param requestId 0..65535
     * @return {@code off + 8}
     * @throws IllegalArgumentException if {@code requestId} does not fit 16 bits
     * @throws IndexOutOfBoundsException if the 8 bytes do not fit in {@code out}
     */
    public static int writeStdoutEnd(byte[] out, int off, int requestId) {
        return writeStreamEnd(out, off, FcgiRecordType.STDOUT, requestId);
    }

    /**
     * Writes an END_REQUEST record (section 5.5): {@code appStatus} (u32 big-endian), {@code protocolStatus} (u8),
     * three reserved bytes. uWSGI sends {@code appStatus} 0 and {@link #REQUEST_COMPLETE} after every request.
     *
     * @param out the destination
     * @param off where the record starts
     * @param requestId 0..65535, the request's id
     * @param appStatus the application's exit status, as an unsigned 32-bit number (CGI's exit code; 0 for success)
     * @param protocolStatus {@link #REQUEST_COMPLETE}, {@link #CANT_MPX_CONN}, {@link #OVERLOADED} or
     *     {@link #UNKNOWN_ROLE} (0..255)
     * @return {@code off + 16}
     * @throws IllegalArgumentException if {@code requestId} or {@code protocolStatus} does not fit its width
     * @throws IndexOutOfBoundsException if the 16 bytes do not fit in {@code out}
     */
    public static int writeEndRequest(byte[] out, int off, int requestId, int appStatus, int protocolStatus) {
        if ((protocolStatus & ~0xFF) != 0) {
            throw new IllegalArgumentException("FastCGI protocolStatus out of range: " + protocolStatus);
        }
        checkTypeAndId(FcgiRecordType.END_REQUEST, requestId);
        Objects.checkFromIndexSize(off, END_REQUEST_LENGTH, out.length);
        header(out, off, FcgiRecordType.END_REQUEST, requestId, 8, 0);
        out[off + 8] = (byte) (appStatus >>> 24);
        out[off + 9] = (byte) (appStatus >>> 16);
        out[off + 10] = (byte) (appStatus >>> 8);
        out[off + 11] = (byte) appStatus;
        out[off + 12] = (byte) protocolStatus;
        out[off + 13] = 0;
        out[off + 14] = 0;
        out[off + 15] = 0;
        return off + END_REQUEST_LENGTH;
    }

    /**
     * Writes the GET_VALUES_RESULT record answering a GET_VALUES query (section 4.1), request id 0. The query's
     * names are answered in their order, each once: {@code FCGI_MAX_CONNS} with {@code maxConns},
     * {@code FCGI_MAX_REQS} with {@code maxReqs}, {@code FCGI_MPXS_CONNS} with {@code "0"} (requests are not
     * multiplexed over a connection); any other name is left out, as the spec asks, and values in the query are
     * ignored. uWSGI 2.0 does not answer GET_VALUES at all.
     *
     * @param out the destination, with {@link #GET_VALUES_RESULT_MAX_LENGTH} bytes of room at {@code off} (fewer
     *     may do)
     * @param off where the record starts
     * @param query the GET_VALUES record's content, parsed with {@link FcgiParamsParser#parse}
     * @param maxConns the most connections the application accepts at once, 1 or more
     * @param maxReqs the most requests the application serves at once, 1 or more
     * @return the offset after the record
     * @throws IllegalArgumentException if {@code maxConns} or {@code maxReqs} is below 1
     * @throws IndexOutOfBoundsException if the record does not fit in {@code out} (nothing is written then)
     */
    public static int writeGetValuesResult(byte[] out, int off, UwsgiVars query, int maxConns, int maxReqs) {
        if (maxConns < 1 || maxReqs < 1) {
            throw new IllegalArgumentException("FCGI_MAX_CONNS and FCGI_MAX_REQS must be 1 or more: " + maxConns
                    + ", " + maxReqs);
        }
        String[] answer = new String[6];
        int pairs = 0;
        int contentLength = 0;
        boolean conns = false;
        boolean reqs = false;
        boolean mpxs = false;
        for (int i = 0; i < query.size(); i++) {
            String name = query.name(i);
            String value;
            if (!conns && name.equals(MAX_CONNS)) {
                conns = true;
                value = Integer.toString(maxConns);
            } else if (!reqs && name.equals(MAX_REQS)) {
                reqs = true;
                value = Integer.toString(maxReqs);
            } else if (!mpxs && name.equals(MPXS_CONNS)) {
                mpxs = true;
                value = "0";
            } else {
                continue;
            }
            answer[2 * pairs] = name;
            answer[2 * pairs + 1] = value;
            pairs++;
            contentLength += 2 + name.length() + value.length(); // every length here is below 128: one byte each
        }
        Objects.checkFromIndexSize(off, FcgiRecordHeader.SIZE + contentLength, out.length);
        header(out, off, FcgiRecordType.GET_VALUES_RESULT, FcgiRecordHeader.NULL_REQUEST_ID, contentLength, 0);
        int at = off + FcgiRecordHeader.SIZE;
        for (int p = 0; p < pairs; p++) {
            String name = answer[2 * p];
            String value = answer[2 * p + 1];
            out[at++] = (byte) name.length();
            out[at++] = (byte) value.length();
            at = ascii(name, out, at);
            at = ascii(value, out, at);
        }
        return at;
    }

    /**
     * Writes the UNKNOWN_TYPE record answering a management record of a type the application does not know
     * (section 4.2), request id 0: the type, then seven reserved bytes.
     *
     * @param out the destination
     * @param off where the record starts
     * @param unknownType the type received, 0..255
     * @return {@code off + 16}
     * @throws IllegalArgumentException if {@code unknownType} does not fit 8 bits
     * @throws IndexOutOfBoundsException if the 16 bytes do not fit in {@code out}
     */
    public static int writeUnknownType(byte[] out, int off, int unknownType) {
        if ((unknownType & ~0xFF) != 0) {
            throw new IllegalArgumentException("FastCGI record type out of range: " + unknownType);
        }
        Objects.checkFromIndexSize(off, UNKNOWN_TYPE_LENGTH, out.length);
        header(out, off, FcgiRecordType.UNKNOWN_TYPE, FcgiRecordHeader.NULL_REQUEST_ID, 8, 0);
        out[off + 8] = (byte) unknownType;
        java.util.Arrays.fill(out, off + 9, off + UNKNOWN_TYPE_LENGTH, (byte) 0);
        return off + UNKNOWN_TYPE_LENGTH;
    }

    private static void checkTypeAndId(int type, int requestId) {
        if ((type & ~0xFF) != 0 || (requestId & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("FastCGI type or request id out of range: " + type + "/" + requestId);
        }
    }

    private static void header(byte[] out, int off, int type, int requestId, int contentLength, int paddingLength) {
        out[off] = FcgiRecordHeader.VERSION_1;
        out[off + 1] = (byte) type;
        out[off + 2] = (byte) (requestId >>> 8);
        out[off + 3] = (byte) requestId;
        out[off + 4] = (byte) (contentLength >>> 8);
        out[off + 5] = (byte) contentLength;
        out[off + 6] = (byte) paddingLength;
        out[off + 7] = 0;
    }

    private static int ascii(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }
}
