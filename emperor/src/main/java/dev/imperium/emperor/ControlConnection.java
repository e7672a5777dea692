package dev.imperium.emperor;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;

import java.nio.channels.SocketChannel;

/**
 * The emperor's end of one vassal's control connection: the shared {@link dev.imperium.control.ControlConnection}
 * plus what the emperor needs around it, an id for logs and the HELLO handshake. Writes may come from any thread; one
 * reader thread feeds a {@link ControlListener}.
 */
final class ControlConnection implements AutoCloseable {
    private final dev.imperium.control.ControlConnection link;
    private final long id;
    private boolean greeted;

    ControlConnection(SocketChannel channel, long id) {
        this.link = new dev.imperium.control.ControlConnection(channel);
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
    boolean send(Frame frame) {
        return link.trySend(frame);
    }

    /**
     * Reads frames until end of stream, on the calling thread: HELLO first (anything else first closes the
     * connection: it is not one of our vassals), then anything; reports everything to {@code listener}.
     */
    void readLoop(ControlListener listener) {
        link.readLoop(frame -> {
            if (greeted) {
                listener.onFrame(this, frame);
            } else if (frame.type() == EmperorMessage.HELLO) {
                greeted = true;
                hello(listener, frame);
            } else {
                close();
            }
        }, () -> listener.onClosed(this));
    }

    private void hello(ControlListener listener, Frame frame) {
        String text = frame.text().trim();
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
        link.close();
    }

    @Override
    public String toString() {
        return "control connection #" + id;
    }
}
