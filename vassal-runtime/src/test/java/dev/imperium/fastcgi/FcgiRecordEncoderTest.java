package dev.imperium.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.uwsgi.UwsgiVars;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records an application writes (FastCGI Specification 1.0, sections 3.3, 4.1, 4.2, 5.3, 5.5). */
class FcgiRecordEncoderTest {
    private static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void aHeaderIsWrittenAtTheOffset() throws Exception {
        byte[] out = new byte[12];
        assertThat(FcgiRecordEncoder.writeHeader(out, 2, FcgiRecordType.STDERR, 0x0102, 0x0304, 5)).isEqualTo(10);
        assertThat(out).containsExactly(0, 0, 1, 7, 1, 2, 3, 4, 5, 0, 0, 0);
        assertThat(FcgiRecordHeader.decode(ByteBuffer.wrap(out, 2, 8)))
                .isEqualTo(new FcgiRecordHeader(1, 7, 0x0102, 0x0304, 5));
        assertThatThrownBy(() -> FcgiRecordEncoder.writeHeader(out, 5, 6, 1, 0, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeHeader(out, 0, 256, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeHeader(out, 0, 6, 65536, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeHeader(out, 0, 6, 1, 65536, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeHeader(out, 0, 6, 1, 0, 256))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smallStdoutIsOneUnpaddedRecord() {
        byte[] out = new byte[20];
        int end = FcgiRecordEncoder.writeStdout(out, 1, 0x0203, "hello".getBytes(), 0, 5);
        assertThat(end).isEqualTo(14);
        assertThat(Arrays.copyOfRange(out, 1, 14)).containsExactly(1, 6, 2, 3, 0, 5, 0, 0, 'h', 'e', 'l', 'l', 'o');
        assertThat(FcgiRecordEncoder.streamLength(5)).isEqualTo(13);
    }

    @Test
    void noDataWritesNothing() {
        byte[] out = new byte[0];
        assertThat(FcgiRecordEncoder.writeStdout(out, 0, 1, new byte[0], 0, 0)).isZero();
        assertThat(FcgiRecordEncoder.streamLength(0)).isZero();
    }

    @Test
    void largeDataIsSplitAt65535BytesPerRecord() throws Exception {
        for (int n : new int[] {1, 65534, 65535, 65536, 131070, 131071, 200_000}) {
            byte[] data = data(n + 3);
            int length = FcgiRecordEncoder.streamLength(n);
            int records = (n + 65534) / 65535;
            assertThat(length).isEqualTo(n + 8 * records);
            byte[] out = new byte[length + 4];
            int end = FcgiRecordEncoder.writeStdout(out, 4, 9, data, 3, n);
            assertThat(end).isEqualTo(4 + length);

            ByteBuffer in = ByteBuffer.wrap(out, 4, length);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            int seen = 0;
            while (in.hasRemaining()) {
                FcgiRecordHeader h = FcgiRecordHeader.decode(in);
                assertThat(h.type()).isEqualTo(FcgiRecordType.STDOUT);
                assertThat(h.requestId()).isEqualTo(9);
                assertThat(h.paddingLength()).isZero();
                assertThat(h.contentLength()).isBetween(1, 65535);
                if (in.remaining() > h.contentLength()) {
                    assertThat(h.contentLength()).as("all records but the last are full").isEqualTo(65535);
                }
                joined.write(out, in.position(), h.contentLength());
                in.position(in.position() + h.contentLength());
                seen++;
            }
            assertThat(seen).isEqualTo(records);
            assertThat(joined.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 3, 3 + n));
        }
    }

    @Test
    void tooLittleRoomWritesNothing() {
        byte[] data = data(70_000);
        byte[] out = new byte[FcgiRecordEncoder.streamLength(70_000) - 1];
        assertThatThrownBy(() -> FcgiRecordEncoder.writeStdout(out, 0, 1, data, 0, 70_000))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(out).containsOnly(0);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeStdout(new byte[100], 0, 1, data, 69_999, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.streamLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.streamLength(Integer.MAX_VALUE))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void otherStreamsToo() throws Exception {
        byte[] out = new byte[20];
        int end = FcgiRecordEncoder.writeStream(out, 0, FcgiRecordType.STDERR, 1, "oops".getBytes(), 0, 4);
        end = FcgiRecordEncoder.writeStreamEnd(out, end, FcgiRecordType.STDERR, 1);
        assertThat(end).isEqualTo(20);
        assertThat(out).containsExactly(1, 7, 0, 1, 0, 4, 0, 0, 'o', 'o', 'p', 's', 1, 7, 0, 1, 0, 0, 0, 0);
    }

    @Test
    void emptyStdoutThenEndRequestAreTheBytesUwsgiSends() {
        // uWSGI 2.0 proto/fastcgi.c FCGI_END_REQUEST, for request id 1: the empty STDOUT record, then END_REQUEST
        // with appStatus 0 and FCGI_REQUEST_COMPLETE
        byte[] uwsgi = {1, 6, 0, 1, 0, 0, 0, 0, 1, 3, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] out = new byte[24];
        int end = FcgiRecordEncoder.writeStdoutEnd(out, 0, 1);
        end = FcgiRecordEncoder.writeEndRequest(out, end, 1, 0, FcgiRecordEncoder.REQUEST_COMPLETE);
        assertThat(end).isEqualTo(24);
        assertThat(out).isEqualTo(uwsgi);
    }

    @Test
    void endRequestCarriesAppStatusUnsignedBigEndianAndTheProtocolStatus() {
        byte[] out = new byte[17];
        Arrays.fill(out, (byte) 0x55);
        assertThat(FcgiRecordEncoder.writeEndRequest(out, 1, 0xFFFE, -1, FcgiRecordEncoder.UNKNOWN_ROLE))
                .isEqualTo(17);
        assertThat(out).containsExactly(0x55, 1, 3, 0xFF, 0xFE, 0, 8, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 3, 0, 0, 0);
        byte[] two = new byte[16];
        FcgiRecordEncoder.writeEndRequest(two, 0, 7, 0x01020304, FcgiRecordEncoder.OVERLOADED);
        assertThat(Arrays.copyOfRange(two, 8, 16)).containsExactly(1, 2, 3, 4, 2, 0, 0, 0);
        assertThat(new int[] {FcgiRecordEncoder.REQUEST_COMPLETE, FcgiRecordEncoder.CANT_MPX_CONN,
            FcgiRecordEncoder.OVERLOADED, FcgiRecordEncoder.UNKNOWN_ROLE}).containsExactly(0, 1, 2, 3);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeEndRequest(new byte[16], 0, 1, 0, 256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeEndRequest(new byte[15], 0, 1, 0, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static Map<String, String> result(byte[] out, int end) throws Exception {
        FcgiRecordHeader h = FcgiRecordHeader.decode(ByteBuffer.wrap(out));
        assertThat(h.type()).isEqualTo(FcgiRecordType.GET_VALUES_RESULT);
        assertThat(h.isManagement()).isTrue();
        assertThat(h.recordLength()).isEqualTo(end);
        UwsgiVars vars = FcgiParamsParser.parse(ByteBuffer.wrap(out, 8, h.contentLength()), 8, 100);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < vars.size(); i++) {
            map.put(vars.name(i), vars.value(i));
        }
        assertThat(map).hasSize(vars.size()); // no name twice
        return map;
    }

    private static UwsgiVars query(String... names) throws Exception {
        FcgiParamsEncoder e = new FcgiParamsEncoder();
        for (String n : names) {
            e.add(n, "");
        }
        return FcgiParamsParser.parse(ByteBuffer.wrap(e.toByteArray()), 16, 4096);
    }

    @Test
    void getValuesIsAnsweredForTheNamesAskedInTheirOrder() throws Exception {
        byte[] out = new byte[FcgiRecordEncoder.GET_VALUES_RESULT_MAX_LENGTH];
        int end = FcgiRecordEncoder.writeGetValuesResult(out, 0,
                query("FCGI_MPXS_CONNS", "FCGI_UNKNOWN", "FCGI_MAX_REQS", "FCGI_MAX_CONNS", "FCGI_MAX_REQS"), 10, 50);
        assertThat(result(out, end)).containsExactly(Map.entry("FCGI_MPXS_CONNS", "0"),
                Map.entry("FCGI_MAX_REQS", "50"), Map.entry("FCGI_MAX_CONNS", "10"));

        int one = FcgiRecordEncoder.writeGetValuesResult(out, 0, query("FCGI_MAX_CONNS"), 1, 1);
        assertThat(result(out, one)).containsExactly(Map.entry("FCGI_MAX_CONNS", "1"));
        int none = FcgiRecordEncoder.writeGetValuesResult(out, 0, query("fcgi_max_conns"), 1, 1);
        assertThat(none).isEqualTo(8);
        assertThat(result(out, none)).isEmpty();
    }

    @Test
    void theLargestGetValuesResultFitsTheAdvertisedRoom() throws Exception {
        byte[] out = new byte[FcgiRecordEncoder.GET_VALUES_RESULT_MAX_LENGTH];
        int end = FcgiRecordEncoder.writeGetValuesResult(out, 0,
                query("FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"), Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertThat(end).isEqualTo(FcgiRecordEncoder.GET_VALUES_RESULT_MAX_LENGTH).isEqualTo(77);
        assertThat(result(out, end)).containsEntry("FCGI_MAX_REQS", "2147483647");
        byte[] small = new byte[76];
        assertThatThrownBy(() -> FcgiRecordEncoder.writeGetValuesResult(small, 0,
                query("FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"), Integer.MAX_VALUE, Integer.MAX_VALUE))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(small).containsOnly(0);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeGetValuesResult(out, 0, query(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownManagementTypeIsAnsweredWithItsNumber() {
        byte[] out = new byte[16];
        Arrays.fill(out, (byte) 0x55);
        assertThat(FcgiRecordEncoder.writeUnknownType(out, 0, 200)).isEqualTo(16);
        assertThat(out).containsExactly(1, 11, 0, 0, 0, 8, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeUnknownType(out, 0, 256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FcgiRecordEncoder.writeUnknownType(out, 1, 12))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
