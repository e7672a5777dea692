package dev.imperium.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;

/**
 * Where a handler writes a response body. The protocol layer frames it (Content-Length, chunked coding, or the
 * protocol's records) and counts the bytes for logs and stats.
 *
 * <p>{@link #close()} ends the response; it does not close the connection.
 */
public abstract class ResponseBody extends OutputStream {
    /**
     * Copies {@code count} bytes of {@code file} from {@code position} to the client, without copying through the
     * heap where the platform allows ({@code sendfile(2)}).
     *
     * @param file an open file
     * @param position the first byte to send
     * @param count how many bytes to send
     * @throws IOException if the client went away or the file could not be read
     */
    public abstract void transferFrom(FileChannel file, long position, long count) throws IOException;
}
