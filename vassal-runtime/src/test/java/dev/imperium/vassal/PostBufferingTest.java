package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code post-buffering}: the app gets the whole body, from memory or from an unlinked file. */
class PostBufferingTest {
    @TempDir
    Path tmp;

    @Test
    void aSmallBodyIsReadIntoMemoryBeforeTheAppRuns() throws IOException {
        byte[] body = bytes(100);
        CountingExchange exchange = new CountingExchange(body, body.length, false);
        Exchange buffered = new PostBuffering(4096, 8, tmp).buffer(exchange);
        assertThat(exchange.consumed()).as("read before the app").isEqualTo(100);
        assertThat(buffered.body().readAllBytes()).isEqualTo(body);
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aLargeOrChunkedBodyGoesToAFileThatLeavesNoTrace() throws IOException {
        for (boolean chunked : new boolean[] {false, true}) {
            byte[] body = bytes(300_000);
            CountingExchange exchange = new CountingExchange(body, chunked ? -1 : body.length, chunked);
            Exchange buffered = new PostBuffering(8192, 8, tmp).buffer(exchange);
            assertThat(exchange.consumed()).isEqualTo(body.length);
            assertThat(tmp).as("the file is unlinked at once").isEmptyDirectory();
            assertThat(buffered.body().readAllBytes()).isEqualTo(body);
            PostBuffering.release(buffered);
        }
    }

    @Test
    void aRequestWithoutBodyIsUntouched() throws IOException {
        CountingExchange exchange = new CountingExchange(new byte[0], -1, false);
        assertThat(new PostBuffering(10, 8, tmp).buffer(exchange)).isSameAs(exchange);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** An exchange whose body counts what was read from it. */
    private static final class CountingExchange implements Exchange {
        private final ByteArrayInputStream body;
        private final RequestHead head;
        private final int size;

        CountingExchange(byte[] body, long contentLength, boolean chunked) {
            this.body = new ByteArrayInputStream(body);
            this.size = body.length;
            this.head = new RequestHead("POST", "/", "/", "", "HTTP/1.1", new HttpFields(0), contentLength, chunked,
                    "127.0.0.1", 1, "127.0.0.1", 2, "http");
        }

        int consumed() {
            return size - body.available();
        }

        @Override
        public RequestHead request() {
            return head;
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public ResponseBody respond(int status, HttpFields fields, long contentLength) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort() {
        }

        @Override
        public boolean committed() {
            return false;
        }

        @Override
        public int status() {
            return 0;
        }

        @Override
        public int headerCount() {
            return 0;
        }

        @Override
        public long headerBytes() {
            return 0;
        }

        @Override
        public long bodyBytes() {
            return 0;
        }
    }
}
