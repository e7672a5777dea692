package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.apps.FakeExchange;
import dev.imperium.server.Exchange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code post-buffering}: the app gets the whole body, from memory or from an unlinked file. */
class PostBufferingTest {
    @TempDir
    Path tmp;

    /** How much of the exchange's own body was read. */
    private static int consumed(FakeExchange exchange, int size) throws IOException {
        return size - exchange.body().available();
    }

    @Test
    void aSmallBodyIsReadIntoMemoryBeforeTheAppRuns() throws IOException {
        byte[] body = bytes(100);
        FakeExchange exchange = FakeExchange.request("POST", "/").header("Content-Length", "100").body(body).build();
        Exchange buffered = new PostBuffering(4096, 8, tmp).buffer(exchange);
        assertThat(consumed(exchange, body.length)).as("read before the app").isEqualTo(100);
        assertThat(buffered.body().readAllBytes()).isEqualTo(body);
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aLargeOrChunkedBodyGoesToAFileThatLeavesNoTrace() throws IOException {
        for (boolean chunked : new boolean[] {false, true}) {
            byte[] body = bytes(300_000);
            FakeExchange.Builder request = FakeExchange.request("POST", "/").body(body);
            FakeExchange exchange = (chunked ? request.chunked()
                    : request.header("Content-Length", Integer.toString(body.length))).build();
            Exchange buffered = new PostBuffering(8192, 8, tmp).buffer(exchange);
            assertThat(consumed(exchange, body.length)).isEqualTo(body.length);
            assertThat(tmp).as("the file is unlinked at once").isEmptyDirectory();
            assertThat(buffered.body().readAllBytes()).isEqualTo(body);
            PostBuffering.release(buffered);
        }
    }

    @Test
    void aRequestWithoutBodyIsUntouched() throws IOException {
        FakeExchange exchange = FakeExchange.get("/");
        assertThat(new PostBuffering(10, 8, tmp).buffer(exchange)).isSameAs(exchange);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
