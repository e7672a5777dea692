package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.vassal.MasterFifo.Action;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The master FIFO's command table, as uWSGI 2.0's core/fifo.c has it. */
class MasterFifoTest {
    private static List<Action> actions(String written) {
        byte[] bytes = written.getBytes(StandardCharsets.ISO_8859_1);
        return MasterFifo.parse(bytes, bytes.length).stream().map(MasterFifo.Command::action).toList();
    }

    @Test
    void everyLetterOfUwsgisTableMapsToItsAction() {
        assertThat(actions("rRcqQwWslLpP+-")).containsExactly(Action.GRACEFUL_RELOAD, Action.BRUTAL_RELOAD,
                Action.CHAIN_RELOAD, Action.GRACEFUL_STOP, Action.BRUTAL_STOP, Action.RELOAD_WORKERS,
                Action.BRUTAL_RELOAD_WORKERS, Action.STATS, Action.REOPEN_LOG, Action.ROTATE_LOG, Action.PAUSE,
                Action.WRITE_PIDFILE, Action.MORE_WORKERS, Action.FEWER_WORKERS);
    }

    @Test
    void severalCommandsInOneWriteKeepTheirOrderAndOtherBytesAreIgnored() {
        assertThat(actions("s+r\n")).as("echo s+r > fifo").containsExactly(Action.STATS, Action.MORE_WORKERS,
                Action.GRACEFUL_RELOAD);
        assertThat(actions("x \t\r\n\u00ffz")).isEmpty();
        assertThat(MasterFifo.parse("qr".getBytes(StandardCharsets.US_ASCII), 1)).as("only the bytes read")
                .extracting(MasterFifo.Command::action).containsExactly(Action.GRACEFUL_STOP);
    }

    @Test
    void digitsSelectAFifoSlotAndUwsgiOnlyCommandsAreMarked() {
        List<MasterFifo.Command> commands = MasterFifo.parse("07".getBytes(StandardCharsets.US_ASCII), 2);
        assertThat(commands).extracting(MasterFifo.Command::action).containsOnly(Action.SELECT_FIFO);
        assertThat(commands).extracting(MasterFifo.Command::slot).containsExactly(0, 7);
        assertThat(actions("EfS")).containsOnly(Action.NOT_IMPLEMENTED).hasSize(3);
        assertThat(actions("B")).containsExactly(Action.BROODLORD_SOS);
        assertThat(actions("C")).containsExactly(Action.GO_CHEAP);
    }

    @Test
    void aSlotBeyondTheFifosSelectsTheFirstAsUwsgiDoes() {
        assertThat(MasterFifo.effectiveSlot(1, 2)).isEqualTo(1);
        assertThat(MasterFifo.effectiveSlot(2, 2)).isZero();
        assertThat(MasterFifo.effectiveSlot(9, 1)).isZero();
    }
}
