package dev.imperium.uwsgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): a uwsgi request packet as nginx's {@code uwsgi_pass} or a peer sends it to a
 * {@code socket}: the 4-byte header, its {@code buffer-size} check, then the vars block.
 *
 * <p>Invariants: only {@link UwsgiProtocolException} escapes; an accepted block has at most {@code max-vars} vars,
 * none with an empty name, and re-encoding them with {@link UwsgiVarsEncoder} gives back exactly the block's bytes
 * (the format has one encoding per list of vars); parsing does not move the buffer.
 */
class UwsgiPacketFuzzTest {
    private static final int BUFFER_SIZE = 4096;
    private static final int MAX_VARS = 16;

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void packet(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        if (in.remaining() < UwsgiHeader.SIZE) {
            return;
        }
        UwsgiHeader header = UwsgiHeader.decode(in);
        try {
            header.checkBlockSize(BUFFER_SIZE);
        } catch (UwsgiProtocolException e) {
            assertThat(header.dataSize()).isGreaterThan(BUFFER_SIZE);
            return;
        }
        ByteBuffer block = in.slice(in.position(), Math.min(header.dataSize(), in.remaining()));
        UwsgiVars vars;
        try {
            vars = UwsgiVarsParser.parse(block, MAX_VARS);
        } catch (UwsgiProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(block.position()).isZero();
        assertThat(vars.size()).isLessThanOrEqualTo(MAX_VARS);
        UwsgiVarsEncoder encoder = new UwsgiVarsEncoder();
        for (int i = 0; i < vars.size(); i++) {
            assertThat(vars.name(i)).isNotEmpty();
            encoder.add(vars.name(i), vars.value(i));
            assertThat(vars.get(vars.name(i))).isNotNull();
        }
        byte[] packet = encoder.packet(header.modifier1(), header.modifier2());
        byte[] expected = new byte[block.remaining()];
        block.get(0, expected);
        assertThat(Arrays.copyOfRange(packet, UwsgiHeader.SIZE, packet.length)).isEqualTo(expected);
        assertThat(packet[0] & 0xFF).isEqualTo(header.modifier1());
        assertThat(packet[3] & 0xFF).isEqualTo(header.modifier2());
    }
}
