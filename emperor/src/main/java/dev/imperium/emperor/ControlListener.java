package dev.imperium.emperor;

import dev.imperium.control.Frame;

/**
 * Receives what vassals say on the control channel. Called on the connection's reader thread: implementations
 * hand the news to the event loop and return at once.
 */
interface ControlListener {
    /**
     * A vassal introduced itself with HELLO.
     *
     * @param connection the connection (reply on it)
     * @param token the token from {@code IMPERIUM_VASSAL_TOKEN}, as the vassal sent it
     * @param pid the pid the vassal reports, or -1 if missing or malformed
     */
    void onHello(ControlConnection connection, String token, long pid);

    /**
     * A frame after HELLO.
     *
     * @param connection the connection it came on
     * @param frame the frame
     */
    void onFrame(ControlConnection connection, Frame frame);

    /**
     * The connection ended (end of stream or error); called once, also when it never said HELLO.
     *
     * @param connection the closed connection
     */
    void onClosed(ControlConnection connection);
}
