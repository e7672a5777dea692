package dev.imperium.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where a {@link StreamResponseBody} sends its bytes: the connection itself ({@link ConnectionIo}), or a layer that
 * frames them first, such as FastCGI's STDOUT records. Used by the connection's thread only.
 */
public interface ByteSink {
    /**
     * Sends every remaining byte of {@code buffers}, in order, advancing their positions.
     *
     * @throws IOException if the peer went away or a write timed out
     */
    void write(ByteBuffer... buffers) throws IOException;

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, with {@code sendfile} where the platform
     * allows.
     *
     * @param scratch a buffer the sink may use to copy pieces through the heap; it may allocate a larger one
     * @throws IOException if the peer went away, a write timed out, or the file ended before the range
     */
    void transferFile(FileChannel file, long position, long count, byte[] scratch) throws IOException;
}
