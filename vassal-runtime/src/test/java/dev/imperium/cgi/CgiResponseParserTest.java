package dev.imperium.cgi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CgiResponseParserTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static CgiResponseHead parse(String output) throws CgiResponseException {
        byte[] b = bytes(output);
        int end = CgiResponseParser.headEnd(b, b.length);
        assertThat(end).as("head end of %s", output).isPositive();
        return CgiResponseParser.parse(b, end);
    }

    @Test
    void findsTheEndOfTheHeadWithCrLfOrBareLf() {
        byte[] crlf = bytes("Content-Type: text/plain\r\n\r\nbody");
        assertThat(CgiResponseParser.headEnd(crlf, crlf.length)).isEqualTo(crlf.length - 4);
        byte[] lf = bytes("Content-Type: text/plain\n\nbody");
        assertThat(CgiResponseParser.headEnd(lf, lf.length)).isEqualTo(lf.length - 4);
        byte[] incomplete = bytes("Content-Type: text/plain\r\nX-A: 1\r\n");
        assertThat(CgiResponseParser.headEnd(incomplete, incomplete.length)).isEqualTo(-1);
        byte[] empty = bytes("\r\nbody");
        assertThat(CgiResponseParser.headEnd(empty, empty.length)).isEqualTo(2);
    }

    @Test
    void aDocumentIs200WithItsFieldsInOrder() throws Exception {
        CgiResponseHead head = parse("Content-Type: text/html\r\nX-One: 1\r\nSet-Cookie: a=b\r\n\r\n");
        assertThat(head.kind()).isEqualTo(CgiResponseHead.Kind.DOCUMENT);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.fields().toString()).contains("Content-Type");
        assertThat(head.fields().size()).isEqualTo(3);
        assertThat(head.fields().name(1)).isEqualTo("X-One");
        assertThat(head.fields().value(2)).isEqualTo("a=b");
        assertThat(head.contentLength()).isEqualTo(-1);
    }

    @Test
    void statusSetsTheCodeAndIsNotSentAsAField() throws Exception {
        CgiResponseHead head = parse("Status: 404 Not Here\r\nContent-Type: text/plain\r\n\r\n");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.fields().contains("Status")).isFalse();
        assertThat(parse("status:503\n\n").status()).isEqualTo(503);
        assertThat(parse("Status: 201\r\nStatus: 500 second\r\n\r\n").status()).as("the first counts").isEqualTo(201);
    }

    @Test
    void aLocationWithoutStatusIsAClientRedirect302() throws Exception {
        CgiResponseHead head = parse("Location: http://example.com/x\r\n\r\n");
        assertThat(head.kind()).isEqualTo(CgiResponseHead.Kind.CLIENT_REDIRECT);
        assertThat(head.status()).isEqualTo(302);
        assertThat(head.fields().get("Location")).isEqualTo("http://example.com/x");
    }

    @Test
    void aLonePathLocationIsALocalRedirect() throws Exception {
        CgiResponseHead head = parse("Location: /other?x=1\r\n\r\n");
        assertThat(head.kind()).isEqualTo(CgiResponseHead.Kind.LOCAL_REDIRECT);
        assertThat(head.location()).isEqualTo("/other?x=1");
        assertThat(parse("Location: /other\r\nSet-Cookie: a=b\r\n\r\n").kind())
                .as("with other fields it goes to the client").isEqualTo(CgiResponseHead.Kind.CLIENT_REDIRECT);
        assertThat(parse("Location: //host/x\r\n\r\n").kind()).isEqualTo(CgiResponseHead.Kind.CLIENT_REDIRECT);
    }

    @Test
    void statusWinsOverLocation() throws Exception {
        CgiResponseHead head = parse("Location: /moved\r\nStatus: 301 Moved\r\n\r\n");
        assertThat(head.kind()).isEqualTo(CgiResponseHead.Kind.DOCUMENT);
        assertThat(head.status()).isEqualTo(301);
        assertThat(head.fields().get("Location")).isEqualTo("/moved");
    }

    @Test
    void contentLengthIsReadAndTransferEncodingDropped() throws Exception {
        CgiResponseHead head = parse("Content-Length: 12\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(head.contentLength()).isEqualTo(12);
        assertThat(head.fields().contains("Transfer-Encoding")).isFalse();
    }

    @Test
    void valuesAreTrimmedAndKeptByteForByte() throws Exception {
        CgiResponseHead head = parse("X-Text:   caf\u00c3\u00a9 \t\r\n\r\n");
        assertThat(head.fields().get("X-Text")).isEqualTo("caf\u00c3\u00a9");
    }

    @Test
    void aNoHeaderResponseIs200() throws Exception {
        CgiResponseHead head = parse("\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.fields().size()).isZero();
    }

    @Test
    void malformedHeadsAreRefused() {
        for (String bad : new String[] {"this is not a header\r\n\r\n", "Bad Name: x\r\n\r\n", "Status: abc\r\n\r\n",
                "Status: 99 Low\r\n\r\n", "Status: 600\r\n\r\n", "Status: 2000\r\n\r\n", "Content-Length: x\r\n\r\n",
                "X-A: a\u0001b\r\n\r\n", " folded: x\r\n\r\n"}) {
            byte[] b = bytes(bad);
            assertThatThrownBy(() -> CgiResponseParser.parse(b, CgiResponseParser.headEnd(b, b.length)))
                    .as(bad).isInstanceOf(CgiResponseException.class);
        }
    }
}
