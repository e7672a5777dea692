package dev.imperium.emperor;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.control.FrameDecoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The emperor's end of one vassal's control connection: frames {@code [u8 type][u16 LE length][payload]}
 * ({@link Frame}). Writes may come from any thread; one reader thread feeds a {@link ControlListener}.
 */
final class ControlConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final long id;

    ControlConnection(SocketChannel channel, long id) {
        this.channel = channel;
        this.id = id;
    }

    /** Returns a number that tells this connection from others, for logs. */
    long id() {
        return id;
    }

    /**
     * Sends one frame; small frames never block in practice (the socket buffer holds thousands).
     *
     * @param frame the frame
     * @return true if written, false if the connection is broken
     */
    synchronized boolean send(Frame frame) {
        ByteBuffer buf = ByteBuffer.wrap(frame.encode());
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads frames until end of stream: HELLO first, then anything; reports everything to {@code listener}. */
    void readLoop(ControlListener listener) {
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        boolean greeted = false;
        try {
            while (channel.read(buf.clear()) > 0) {
                for (Frame frame : decoder.feed(buf.array(), 0, buf.position())) {
                    if (greeted) {
                        listener.onFrame(this, frame);
                    } else if (frame.type() == EmperorMessage.HELLO) {
                        greeted = true;
                        hello(listener, frame);
                    } else {
                        return; // a vassal speaks HELLO first; anything else is not one of ours
                    }
                }
            }
        } catch (IOException e) {
            // connection reset: same as end of stream
        } finally {
            close();
            listener.onClosed(this);
        }
    }

    private void hello(ControlListener listener, Frame frame) {
        String text = new String(frame.payload(), StandardCharsets.UTF_8).trim();
        int space = text.indexOf(' ');
        String token = space < 0 ? text : text.substring(0, space);
        long pid = -1;
        if (space >= 0) {
            try {
                pid = Long.parseLong(text.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                pid = -1;
            }
        }
        listener.onHello(this, token, pid);
    }

    /** Closes the connection; the reader then reports {@link ControlListener#onClosed}. Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // ignore
        }
    }

    @Override
    public String toString() {
        return "control connection #" + id;
    }
}
