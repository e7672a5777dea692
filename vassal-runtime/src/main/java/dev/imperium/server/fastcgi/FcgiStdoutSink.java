package dev.imperium.server.fastcgi;

import dev.imperium.fastcgi.FcgiRecordEncoder;
import dev.imperium.fastcgi.FcgiRecordHeader;
import dev.imperium.fastcgi.FcgiRecordType;
import dev.imperium.server.net.ByteSink;
import dev.imperium.server.net.ConnectionIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The STDOUT stream of one FastCGI request (FastCGI Specification 1.0, section 5.3): every write becomes as many
 * STDOUT records as needed, each holding at most 65535 bytes, unpadded, each sent with its bytes in one gathering
 * write, as uWSGI's {@code uwsgi_proto_fastcgi_write} frames them. Never writes an empty record: ending the stream is
 * the connection's job. Used by the connection's thread only.
 */
final class FcgiStdoutSink implements ByteSink {
    private final ConnectionIo io;
    private final int requestId;

    /**
     * Creates the sink.
     *
     * @param io the connection
     * @param requestId the request's id, 1..65535
     */
    FcgiStdoutSink(ConnectionIo io, int requestId) {
        this.io = io;
        this.requestId = requestId;
    }

    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        int next = 0;
        while (total > 0) {
            int n = (int) Math.min(total, FcgiRecordHeader.MAX_CONTENT_LENGTH);
            ByteBuffer[] parts = new ByteBuffer[buffers.length - next + 1];
            parts[0] = header(n);
            int count = 1;
            int need = n;
            while (need > 0) {
                ByteBuffer b = buffers[next];
                int take = Math.min(need, b.remaining());
                if (take > 0) {
                    parts[count++] = b.slice(b.position(), take);
                    b.position(b.position() + take);
                    need -= take;
                }
                if (!b.hasRemaining()) {
                    next++;
                }
            }
            io.write(count == parts.length ? parts : Arrays.copyOf(parts, count));
            total -= n;
        }
    }

    @Override
    public void transferFile(FileChannel file, long position, long count, byte[] scratch) throws IOException {
        long at = position;
        long left = count;
        while (left > 0) {
            int n = (int) Math.min(left, FcgiRecordHeader.MAX_CONTENT_LENGTH);
            io.write(header(n));
            io.transferFile(file, at, n, scratch);
            at += n;
            left -= n;
        }
    }

    private ByteBuffer header(int contentLength) {
        byte[] header = new byte[FcgiRecordHeader.SIZE];
        FcgiRecordEncoder.writeHeader(header, 0, FcgiRecordType.STDOUT, requestId, contentLength, 0);
        return ByteBuffer.wrap(header);
    }
}
