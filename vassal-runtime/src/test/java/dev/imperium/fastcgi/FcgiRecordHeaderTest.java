package dev.imperium.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The record header and the BEGIN_REQUEST body (FastCGI Specification 1.0, sections 3.3 and 5.1). */
class FcgiRecordHeaderTest {
    private static ByteBuffer bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }

    @Test
    void fieldsAreBigEndianAndDecodeAdvancesByEight() throws Exception {
        ByteBuffer in = bytes(1, 4, 0x12, 0x34, 0xAB, 0xCD, 7, 0xEE, 'x');
        FcgiRecordHeader h = FcgiRecordHeader.decode(in);
        assertThat(h).isEqualTo(new FcgiRecordHeader(1, FcgiRecordType.PARAMS, 0x1234, 0xABCD, 7));
        assertThat(in.position()).isEqualTo(8);
        assertThat(h.recordLength()).isEqualTo(8 + 0xABCD + 7);
        assertThat(h.isManagement()).isFalse();
    }

    @Test
    void absoluteDecodeLeavesThePosition() throws Exception {
        ByteBuffer in = bytes(0, 0, 1, 9, 0, 1, 0, 0, 0, 0, 0, 0, 0);
        in.position(1);
        FcgiRecordHeader h = FcgiRecordHeader.decode(in, 2);
        assertThat(h).isEqualTo(new FcgiRecordHeader(1, FcgiRecordType.GET_VALUES, 0x0001, 0, 0));
        assertThat(in.position()).isEqualTo(1);
        assertThatThrownBy(() -> FcgiRecordHeader.decode(in, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void encodeThenDecodeRoundTripsTheExtremesWhateverTheBufferOrder() throws Exception {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (FcgiRecordHeader h : new FcgiRecordHeader[] {
                    new FcgiRecordHeader(1, 0, 0, 0, 0),
                    new FcgiRecordHeader(1, 255, 65535, 65535, 255),
                    new FcgiRecordHeader(1, FcgiRecordType.STDOUT, 0x0102, 0x0304, 5)}) {
                ByteBuffer out = ByteBuffer.allocate(8).order(order);
                h.encode(out);
                assertThat(out.position()).isEqualTo(8);
                assertThat(FcgiRecordHeader.decode(out.flip())).isEqualTo(h);
            }
        }
        ByteBuffer out = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        new FcgiRecordHeader(1, 6, 0x0102, 0x0304, 5).encode(out);
        assertThat(out.array()).containsExactly(1, 6, 1, 2, 3, 4, 5, 0);
    }

    @Test
    void theReservedByteIsIgnored() throws Exception {
        assertThat(FcgiRecordHeader.decode(bytes(1, 5, 0, 1, 0, 0, 0, 0xFF)))
                .isEqualTo(new FcgiRecordHeader(1, FcgiRecordType.STDIN, 1, 0, 0));
    }

    @Test
    void aVersionOtherThanOneIsRefusedAndThePositionKept() {
        for (int version : new int[] {0, 2, 0x80, 0xFF}) {
            ByteBuffer in = bytes(version, 1, 0, 1, 0, 8, 0, 0);
            assertThatThrownBy(() -> FcgiRecordHeader.decode(in))
                    .isInstanceOf(FcgiProtocolException.class)
                    .hasMessage("unsupported FastCGI version " + version + " (only 1 is known)");
            assertThat(in.position()).isZero();
        }
    }

    @Test
    void fewerThanEightBytesUnderflowWithoutMoving() {
        for (int n = 0; n < 8; n++) {
            ByteBuffer in = ByteBuffer.wrap(new byte[] {1, 1, 0, 1, 0, 8, 0, 0}, 0, n);
            assertThatThrownBy(() -> FcgiRecordHeader.decode(in)).isInstanceOf(BufferUnderflowException.class);
            assertThat(in.position()).isZero();
        }
    }

    @Test
    void encodingNeedsEightBytesOfRoom() {
        ByteBuffer out = ByteBuffer.allocate(7);
        assertThatThrownBy(() -> new FcgiRecordHeader(1, 6, 1, 0, 0).encode(out))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
    }

    @Test
    void fieldsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new FcgiRecordHeader(256, 1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FcgiRecordHeader(1, -1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FcgiRecordHeader(1, 1, 65536, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FcgiRecordHeader(1, 1, 1, 65536, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FcgiRecordHeader(1, 1, 1, 0, 256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void managementRecordsHaveRequestIdZero() {
        assertThat(new FcgiRecordHeader(1, FcgiRecordType.GET_VALUES, 0, 0, 0).isManagement()).isTrue();
    }

    @Test
    void recordTypesHaveTheSpecsNumbersAndNames() {
        assertThat(new int[] {FcgiRecordType.BEGIN_REQUEST, FcgiRecordType.ABORT_REQUEST, FcgiRecordType.END_REQUEST,
            FcgiRecordType.PARAMS, FcgiRecordType.STDIN, FcgiRecordType.STDOUT, FcgiRecordType.STDERR,
            FcgiRecordType.DATA, FcgiRecordType.GET_VALUES, FcgiRecordType.GET_VALUES_RESULT,
            FcgiRecordType.UNKNOWN_TYPE}).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(FcgiRecordType.name(4)).isEqualTo("PARAMS");
        assertThat(FcgiRecordType.name(11)).isEqualTo("UNKNOWN_TYPE");
        assertThat(FcgiRecordType.name(0)).isEqualTo("type 0");
        assertThat(FcgiRecordType.name(12)).isEqualTo("type 12");
        assertThat(FcgiRecordType.isKnown(1)).isTrue();
        assertThat(FcgiRecordType.isKnown(0)).isFalse();
        assertThat(FcgiRecordType.isKnown(12)).isFalse();
    }

    @Test
    void beginRequestBodyIsRoleFlagsAndFiveReservedBytes() throws Exception {
        ByteBuffer body = bytes(0, 1, 1, 0, 0, 0, 0, 0);
        assertThat(FcgiBeginRequest.decode(body)).isEqualTo(new FcgiBeginRequest(FcgiBeginRequest.RESPONDER, true));
        assertThat(body.position()).isZero();
        assertThat(FcgiBeginRequest.decode(bytes(0, 2, 0, 0, 0, 0, 0, 0)))
                .isEqualTo(new FcgiBeginRequest(FcgiBeginRequest.AUTHORIZER, false));
        // other flag bits and reserved bytes are ignored; any role decodes
        FcgiBeginRequest odd = FcgiBeginRequest.decode(bytes(0x12, 0x34, 0xFE, 9, 9, 9, 9, 9));
        assertThat(odd).isEqualTo(new FcgiBeginRequest(0x1234, false));
        assertThat(odd.isResponder()).isFalse();
    }

    @Test
    void beginRequestRoundTripsAndWorksOnDirectBuffers() throws Exception {
        ByteBuffer out = ByteBuffer.allocateDirect(8);
        new FcgiBeginRequest(FcgiBeginRequest.FILTER, true).encode(out);
        assertThat(FcgiBeginRequest.decode(out.flip())).isEqualTo(new FcgiBeginRequest(3, true));
        ByteBuffer heap = ByteBuffer.allocate(8);
        new FcgiBeginRequest(0xFFFF, false).encode(heap);
        assertThat(heap.array()).containsExactly(0xFF, 0xFF, 0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> new FcgiBeginRequest(1, true).encode(ByteBuffer.allocate(7)))
                .isInstanceOf(BufferOverflowException.class);
        assertThatThrownBy(() -> new FcgiBeginRequest(65536, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void beginRequestBodyMustBeEightBytes() {
        for (int n : new int[] {0, 7, 9, 16}) {
            assertThatThrownBy(() -> FcgiBeginRequest.decode(ByteBuffer.allocate(n)))
                    .isInstanceOf(FcgiProtocolException.class)
                    .hasMessage("FastCGI BEGIN_REQUEST body of " + n + " bytes (must be 8)");
        }
    }
}
