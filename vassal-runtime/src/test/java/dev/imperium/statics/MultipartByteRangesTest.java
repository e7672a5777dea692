package dev.imperium.statics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MultipartByteRangesTest {
    @Test
    void laysThePartsOutAsRfc9110AndCountsTheLengthExactly() {
        byte[] file = "hello world, this is a text file\n".getBytes(StandardCharsets.US_ASCII);
        MultipartByteRanges multipart = new MultipartByteRanges(
                List.of(new ByteRanges.Range(0, 4), new ByteRanges.Range(28, 32)), "text/plain", file.length, "B");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < multipart.parts(); i++) {
            out.writeBytes(multipart.head(i));
            ByteRanges.Range range = multipart.range(i);
            out.write(file, (int) range.first(), (int) range.length());
        }
        out.writeBytes(multipart.tail());
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("""
                --B\r
                Content-Type: text/plain\r
                Content-Range: bytes 0-4/33\r
                \r
                hello\r
                --B\r
                Content-Type: text/plain\r
                Content-Range: bytes 28-32/33\r
                \r
                file
                \r
                --B--\r
                """);
        assertThat(multipart.length()).isEqualTo(out.size());
        assertThat(multipart.contentType()).isEqualTo("multipart/byteranges; boundary=B");
    }

    @Test
    void partsOfAnUnknownTypeHaveNoContentType() {
        MultipartByteRanges multipart = new MultipartByteRanges(
                List.of(new ByteRanges.Range(0, 0), new ByteRanges.Range(100, 100)), null, 200, "B");
        assertThat(new String(multipart.head(0), StandardCharsets.US_ASCII))
                .isEqualTo("--B\r\nContent-Range: bytes 0-0/200\r\n\r\n");
    }

    @Test
    void boundariesAreFreshAndLegal() {
        String a = MultipartByteRanges.newBoundary();
        assertThat(a).matches("imperium-[0-9a-f]{24}").isNotEqualTo(MultipartByteRanges.newBoundary());
    }
}
