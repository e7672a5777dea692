package dev.imperium.server.uwsgi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.http.HttpFields;
import dev.imperium.server.AcceptGate;
import dev.imperium.server.Handler;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Connection;
import dev.imperium.server.http.Http1Log;
import dev.imperium.server.net.Listener;
import dev.imperium.server.net.LoopbackServer;
import dev.imperium.uwsgi.UwsgiVarsEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A one-core worker serves a uwsgi request whose head has already arrived on its accept thread (no hand-over between
 * threads), and leaves a client that has not sent its whole head to a thread of its own, so a slow client never
 * holds the accept loop.
 */
@Timeout(30)
class InlineServingTest {
    private final AtomicReference<Thread> servedOn = new AtomicReference<>();
    private final Handler handler = exchange -> {
        servedOn.set(Thread.currentThread());
        byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.respond(200, new HttpFields(), body.length)) {
            out.write(body);
        }
        return true;
    };
    private ServerSocketChannel socket;
    private Listener listener;

    @AfterEach
    void close() throws IOException {
        if (listener != null) {
            listener.closeAll();
        }
        if (socket != null) {
            socket.close();
        }
    }

    private int bind() throws IOException {
        socket = ServerSocketChannel.open();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return ((InetSocketAddress) socket.getLocalAddress()).getPort();
    }

    private void startListener() {
        listener = Listener.forSharedSocketServingInline(socket, AcceptGate.OPEN,
                UwsgiConnection.factory(handler, Http1Config.defaults(), Http1Log.NONE, m -> m == 0),
                Http1Connection.timing(Http1Config.defaults()), e -> { });
        listener.start();
    }

    private static byte[] packet() {
        UwsgiVarsEncoder encoder = new UwsgiVarsEncoder();
        LoopbackServer.requestVars("GET", "/").forEach(encoder::add);
        return encoder.packet(0, 0);
    }

    private static String readAll(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestThatHasArrivedIsServedOnTheAcceptThread() throws Exception {
        int port = bind();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(packet()); // queued in the kernel before the listener accepts
            startListener();
            assertThat(readAll(client)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nok");
        }
        assertThat(servedOn.get().isVirtual()).isFalse();
        assertThat(servedOn.get().getName()).isEqualTo("imperium-accept");
    }

    @Test
    void aClientThatHasNotSentItsWholeHeadDoesNotHoldTheAcceptLoop() throws Exception {
        int port = bind();
        byte[] packet = packet();
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket fast = new Socket(InetAddress.getLoopbackAddress(), port)) {
            slow.setSoTimeout(10_000);
            fast.setSoTimeout(10_000);
            slow.getOutputStream().write(packet, 0, 6); // the header and 2 bytes of the vars block
            fast.getOutputStream().write(packet);
            startListener();

            assertThat(readAll(fast)).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(servedOn.get().getName()).isEqualTo("imperium-accept");

            slow.getOutputStream().write(packet, 6, packet.length - 6);
            assertThat(readAll(slow)).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(servedOn.get().isVirtual()).as("the slow client had a thread of its own").isTrue();
        }
    }
}
