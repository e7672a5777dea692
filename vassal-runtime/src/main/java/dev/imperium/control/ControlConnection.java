package dev.imperium.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One end of a control channel: sends {@link Frame}s and reads incoming frames on its own thread.
 *
 * <p>{@link #send} may be called from any thread (writes are serialised). Incoming frames are delivered, in order,
 * to the {@code onFrame} callback on the reader thread; when the peer closes or the channel fails, {@code onClose}
 * runs once on that thread.
 */
public final class ControlConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final Object writeLock = new Object();
    private volatile boolean closed;

    /** Wraps a connected channel. */
    public ControlConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects to an AF_UNIX control socket.
     *
     * @param path the socket file
     * @throws IOException if the socket cannot be reached
     */
    public static ControlConnection connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new ControlConnection(channel);
    }

    /**
     * Sends one frame, blocking until it is written.
     *
     * @throws IOException if the channel is closed or broken
     */
    public void send(Frame frame) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame.encode());
        synchronized (writeLock) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /** Sends one frame, ignoring a broken channel (the reader thread reports the close). Returns false on failure. */
    public boolean trySend(Frame frame) {
        try {
            send(frame);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the reader thread.
     *
     * @param name the thread name
     * @param daemon whether the thread is a daemon thread
     * @param onFrame called with each frame, on the reader thread
     * @param onClose called once when the channel is closed by either side or fails
     * @return the started thread
     */
    public Thread startReader(String name, boolean daemon, Consumer<Frame> onFrame, Runnable onClose) {
        Thread reader = new Thread(() -> readLoop(onFrame, onClose), name);
        reader.setDaemon(daemon);
        reader.start();
        return reader;
    }

    /**
     * Reads frames on the calling thread until the channel closes, then runs {@code onClose}.
     *
     * @param onFrame called with each frame
     * @param onClose called once at the end
     */
    public void readLoop(Consumer<Frame> onFrame, Runnable onClose) {
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                for (Frame frame : decoder.feed(buffer.array(), 0, n)) {
                    onFrame.accept(frame);
                }
            }
        } catch (IOException e) {
            // closed or broken: reported through onClose
        } finally {
            close();
            onClose.run();
        }
    }

    /** Returns true once the connection was closed by this side or found closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the channel; the reader thread ends and runs its {@code onClose}. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
