package dev.imperium.vassal;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** TEMPORARY: one request per connection, no bodies. Replaced by the HTTP workstream's listener. */
final class StubHttpServer implements RequestServer {
    private final ServerSocketChannel server;
    private final Handler handler;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    StubHttpServer(ServerSocketChannel server, Handler handler) {
        this.server = server;
        this.handler = handler;
    }

    @Override
    public void start() {
        Thread t = new Thread(() -> {
            while (!stopping) {
                try {
                    SocketChannel c = server.accept();
                    open.add(c);
                    Thread.ofVirtual().start(() -> serve(c));
                } catch (IOException e) {
                    return;
                }
            }
        }, "acceptor");
        t.setDaemon(true);
        t.start();
    }

    private void serve(SocketChannel c) {
        try (c) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                b.clear();
                if (c.read(b) < 0) {
                    return;
                }
                head.write(b.array(), 0, b.position());
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] rl = lines[0].split(" ");
            HttpFields fields = new HttpFields();
            for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
                int colon = lines[i].indexOf(':');
                fields.add(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim());
            }
            String target = rl[1];
            int q = target.indexOf('?');
            InetSocketAddress remote = (InetSocketAddress) c.getRemoteAddress();
            RequestHead rh = new RequestHead(rl[0], target, q < 0 ? target : target.substring(0, q),
                    q < 0 ? "" : target.substring(q + 1), rl[2], fields, -1, false,
                    remote.getAddress().getHostAddress(), remote.getPort(), "127.0.0.1", 0, "http");
            StubExchange ex = new StubExchange(rh, c);
            handler.handle(ex);
        } catch (Exception e) {
            // stub
        } finally {
            open.remove(c);
        }
    }

    @Override
    public void stopAccepting() {
        stopping = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // stub
        }
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return open.isEmpty();
    }

    private static final class StubExchange implements Exchange {
        private final RequestHead head;
        private final SocketChannel channel;
        private int status;
        private long bodyBytes;
        private int headerCount;
        private long headerBytes;

        StubExchange(RequestHead head, SocketChannel channel) {
            this.head = head;
            this.channel = channel;
        }

        @Override
        public RequestHead request() {
            return head;
        }

        @Override
        public InputStream body() {
            return InputStream.nullInputStream();
        }

        @Override
        public ResponseBody respond(int status, HttpFields fields, long contentLength) throws IOException {
            this.status = status;
            StringBuilder sb = new StringBuilder(head.protocol() + " " + status + " X\r\n");
            fields.forEach((n, v) -> sb.append(n).append(": ").append(v).append("\r\n"));
            sb.append("Connection: close\r\n\r\n");
            headerCount = fields.size();
            byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            headerBytes = h.length;
            write(h, 0, h.length);
            return new ResponseBody() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    bodyBytes += len;
                    StubExchange.this.write(b, off, len);
                }

                @Override
                public void transferFrom(FileChannel file, long position, long count) throws IOException {
                    bodyBytes += file.transferTo(position, count, channel);
                }
            };
        }

        private void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }

        @Override
        public boolean committed() {
            return status != 0;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public int headerCount() {
            return headerCount;
        }

        @Override
        public long headerBytes() {
            return headerBytes;
        }

        @Override
        public long bodyBytes() {
            return bodyBytes;
        }
    }
}
