package dev.imperium.http;

import static dev.imperium.http.ParserHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds 20,000 random and mutated requests (fixed seed) through the head parser, the framing rules and the chunked
 * decoder: nothing but {@link HttpProtocolException} may come out, and the outcome must not depend on the split.
 */
class ParserFuzzTest {
    private static final String[] SEEDS = {
        "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n",
        "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b\"\r\nhello\r\n0\r\nT: v\r\n\r\n",
        "PUT /p%20q HTTP/1.1\r\nHost: [::1]:80\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc",
        "GET http://h:1/a?b HTTP/1.0\nConnection: keep-alive\n\n",
        "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    };
    private static final byte[] INTERESTING = bytes("\r\n :;=\"%\u0000\u0080\u00ff\t/?#@[]0123456789abcdefABCDEF,-");

    @Test
    @Timeout(60)
    void parsersOnlyEverThrowTheirProtocolError() {
        Random random = new Random(0x1337_5eedL);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int accepted = 0;
        int rejected = 0;
        int inputs = 0;
        for (int i = 0; i < 20_000 && System.nanoTime() < deadline; i++) {
            byte[] input = i % 10 == 0 ? randomBytes(random) : mutate(bytes(SEEDS[random.nextInt(SEEDS.length)]),
                    random);
            String whole = outcome(input, input.length + 1);
            String split = outcome(input, 1 + random.nextInt(16));
            assertThat(split).as("input %s", Arrays.toString(input)).isEqualTo(whole);
            accepted += whole.startsWith("ok:") ? 1 : 0;
            rejected += whole.isEmpty() || whole.startsWith("ok:") ? 0 : 1;
            inputs++;
        }
        assertThat(inputs).as("inputs tried within the time bound").isGreaterThan(5_000);
        assertThat(accepted).isGreaterThan(100);
        assertThat(rejected).isGreaterThan(1_000);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[Math.min(at, b.length - 1)] = (byte) random.nextInt(256);
                case 1 -> b[Math.min(at, b.length - 1)] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 2 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 3 -> {
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
                default -> b = Arrays.copyOf(b, at);
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    /**
     * Runs the parsers over {@code input} in pieces; returns "" when more input is needed, "ok:..." on success, or
     * "status:reason" for a protocol error.
     */
    private static String outcome(byte[] input, int pieceSize) {
        RequestHeadParser parser = new RequestHeadParser(512, 256);
        ChunkedDecoder decoder = new ChunkedDecoder(1000, 64, 128);
        int next = 0;
        ByteBuffer src = ByteBuffer.allocate(0);
        byte[] dst = new byte[5];
        try {
            while (!parser.parse(src)) {
                if (next >= input.length) {
                    return "";
                }
                src = ByteBuffer.wrap(input, next, Math.min(pieceSize, input.length - next));
                next += src.remaining();
            }
            Http1RequestHead head = parser.head();
            BodyFraming framing = BodyFraming.forRequest(head, 1000);
            head.persistent();
            head.expectsContinue();
            head.hasUnsupportedExpectation();
            if (framing.kind() != BodyFraming.Kind.CHUNKED) {
                return "ok:" + framing;
            }
            long total = 0;
            while (true) {
                int n = decoder.decode(src, dst, 0, dst.length);
                if (n < 0) {
                    return "ok:chunked " + total + " " + decoder.trailers();
                }
                total += n;
                if (n == 0) {
                    if (next >= input.length) {
                        return "";
                    }
                    src = ByteBuffer.wrap(input, next, Math.min(pieceSize, input.length - next));
                    next += src.remaining();
                }
            }
        } catch (HttpProtocolException e) {
            return e.status() + ":" + e.reason();
        }
    }
}
