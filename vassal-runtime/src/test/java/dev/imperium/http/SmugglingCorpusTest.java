package dev.imperium.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-smuggling corpus ({@code src/test/resources/smuggling}, also sent end to end by {@code SmugglingIT})
 * run through the pure parsers the way {@code Http1Connection} chains them on one connection: head, body framing,
 * the body (Content-Length or chunked), then the next pipelined request, until an error or a request that closes.
 * Each case must give exactly its expected statuses (200 standing for "handed to the app"), whatever the split of
 * its bytes, and no request whose target says {@code smuggled} may ever be handed to the app.
 */
class SmugglingCorpusTest {
    /** The server's limits in the corpus: buffer-size 4096, limit-post 65536. */
    static final int MAX_HEAD = 4096;
    static final long LIMIT_POST = 65536;

    /** One corpus entry: its index line and its bytes. */
    record Case(String name, List<Integer> expected, String rfc, String what, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corpus() {
        return load().stream();
    }

    static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        for (String line : resource("index.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] col = line.split("\t");
            List<Integer> expected = Stream.of(col[1].split(",")).map(Integer::valueOf).toList();
            cases.add(new Case(col[0], expected, col[2], col[3], bytes(col[0] + ".http")));
        }
        return cases;
    }

    private static String resource(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = SmugglingCorpusTest.class.getResourceAsStream("/smuggling/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing corpus file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one connection did with a case's bytes. */
    record Outcome(List<Integer> statuses, List<String> targets, int unread, boolean incomplete) {
    }

    /** Serves {@code data} as one connection would, fed in pieces of {@code piece} bytes. */
    static Outcome serve(byte[] data, int piece) {
        List<Integer> statuses = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        RequestHeadParser parser = new RequestHeadParser(MAX_HEAD, MAX_HEAD);
        ChunkedDecoder decoder = new ChunkedDecoder(LIMIT_POST, 1024, MAX_HEAD);
        int pos = 0;
        while (pos < data.length) {
            parser.reset();
            decoder.reset();
            try {
                boolean done = false;
                while (!done) {
                    if (pos >= data.length) {
                        return new Outcome(statuses, targets, 0, true);
                    }
                    ByteBuffer b = ByteBuffer.wrap(data, pos, Math.min(piece, data.length - pos));
                    done = parser.parse(b);
                    pos = b.position();
                }
                Http1RequestHead head = parser.head();
                BodyFraming framing = BodyFraming.forRequest(head, LIMIT_POST);
                if ("CONNECT".equals(head.method())) {
                    throw new HttpProtocolException(501, "CONNECT is not supported");
                }
                if (head.hasUnsupportedExpectation()) {
                    throw new HttpProtocolException(417, "unsupported expectation");
                }
                if (framing.kind() == BodyFraming.Kind.LENGTH) {
                    if (data.length - pos < framing.length()) {
                        return new Outcome(statuses, targets, 0, true);
                    }
                    pos += (int) framing.length();
                } else if (framing.kind() == BodyFraming.Kind.CHUNKED) {
                    byte[] dst = new byte[64];
                    while (true) {
                        ByteBuffer b = ByteBuffer.wrap(data, pos, Math.min(piece, data.length - pos));
                        int n = decoder.decode(b, dst, 0, dst.length);
                        pos = b.position();
                        if (n < 0) {
                            break;
                        }
                        if (n == 0 && pos >= data.length) {
                            return new Outcome(statuses, targets, 0, true);
                        }
                    }
                }
                statuses.add(200);
                targets.add(head.target().raw());
                if (!head.persistent()) {
                    break;
                }
            } catch (HttpProtocolException e) {
                statuses.add(e.status());
                break;
            }
        }
        return new Outcome(statuses, targets, data.length - pos, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachAttackGetsItsAnswerAndNothingIsSmuggled(Case c) {
        for (int piece : new int[] {c.bytes().length, 1, 7, 64}) {
            Outcome outcome = serve(c.bytes(), Math.max(1, piece));
            String as = c.name() + " (" + c.what() + ", " + c.rfc() + ") in pieces of " + piece;
            assertThat(outcome.incomplete()).as(as + ": the request must be complete").isFalse();
            assertThat(outcome.statuses()).as(as).isEqualTo(c.expected());
            assertThat(outcome.targets()).as(as + ": served targets").noneMatch(t -> t.contains("smuggled"));
            if (c.expected().getLast() == 200) {
                assertThat(outcome.unread()).as(as + ": every byte belongs to a request").isZero();
            } else {
                assertThat(outcome.unread()).as(as + ": the pipelined request after the error is left unread")
                        .isPositive();
            }
        }
    }

    @Test
    void theCorpusCoversTheIssuesList() {
        List<String> names = load().stream().map(Case::name).toList();
        assertThat(names).hasSizeGreaterThan(100).contains("cl-te", "te-cl", "te-chunked-comma-x", "te-xchunked",
                "te-chunked-then-identity", "cl-list-same", "cl-duplicate-differ", "cl-plus", "obs-fold",
                "bare-lf-head", "bare-cr-field", "ws-before-colon", "chunk-size-wrap", "chunk-size-negative",
                "chunk-ext-quoted", "chunk-ext-oversize", "trailer-ok", "request-line-too-long", "field-too-long",
                "field-section-too-large", "nul-in-field-value", "nul-in-target", "absolute-form", "asterisk-get",
                "authority-form-get", "http09", "http2-preface", "http-9-9", "pipeline-after-400");
    }
}
