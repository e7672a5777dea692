package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master FIFO's I/O: a real named pipe, written as {@code echo r > fifo} writes it. */
class MasterFifoReaderTest {
    @TempDir
    Path dir;

    private final List<Character> commands = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    private static void write(Path fifo, String text) throws Exception {
        Files.write(fifo, text.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    }

    @Test
    void commandsArriveInOrderAcrossWritesAndTheFifoIsRemovedAtClose() throws Exception {
        Path fifo = dir.resolve("master.fifo");
        Files.writeString(fifo, "a stale regular file");
        try (MasterFifoReader reader = new MasterFifoReader(List.of(fifo), c -> commands.add(c.letter()),
                log::add)) {
            reader.start();
            assertThat(Files.isRegularFile(fifo)).as("replaced by a FIFO").isFalse();
            assertThat(Files.exists(fifo)).isTrue();

            write(fifo, "s+\n");
            write(fifo, "x-r");

            await().atMost(Duration.ofSeconds(10)).until(() -> commands.size() == 4);
            assertThat(commands).containsExactly('s', '+', '-', 'r');
        }
        assertThat(fifo).doesNotExist();
        assertThat(log).isEmpty();
    }

    @Test
    void aDigitMakesThatFifoActiveAndRemovesThePreviousOne() throws Exception {
        Path first = dir.resolve("a.fifo");
        Path second = dir.resolve("b.fifo");
        try (MasterFifoReader reader = new MasterFifoReader(List.of(first, second), c -> commands.add(c.letter()),
                log::add)) {
            reader.start();
            assertThat(second).doesNotExist();

            write(first, "s1");

            await().atMost(Duration.ofSeconds(10)).until(() -> second.equals(reader.active()));
            assertThat(first).as("freed for another instance").doesNotExist();
            assertThat(log).singleElement().asString().endsWith(" - active master fifo is now " + second);
            write(second, "q");
            await().atMost(Duration.ofSeconds(10)).until(() -> commands.size() == 2);
            assertThat(commands).containsExactly('s', 'q');

            write(second, "7");
            await().atMost(Duration.ofSeconds(10)).until(() -> first.equals(reader.active()));
            assertThat(log).last().asString().as("no 8th fifo: the first").endsWith(" is now " + first);
        }
        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
    }
}
