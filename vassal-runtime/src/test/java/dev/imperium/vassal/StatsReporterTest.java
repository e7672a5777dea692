package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imperium.control.ControlConnection;
import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.control.FrameDecoder;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The vassal's stats report to its emperor: frame 35, minified JSON with the "imperium" totals. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StatsReporterTest {
    @TempDir
    Path dir;

    @Test
    void theReportIsTheDocumentAsTheBuilderGivesIt() {
        List<String> sent = new ArrayList<>();
        new StatsReporter(cores -> "{\"cores\":" + cores + "}", b -> sent.add(new String(b, StandardCharsets.UTF_8)),
                line -> { }).report();
        assertThat(sent).containsExactly("{\"cores\":true}");
    }

    @Test
    void aReportTooLargeForAFrameGoesWithoutCoresOrNotAtAllOnceSaid() {
        String huge = "x".repeat(Frame.MAX_PAYLOAD + 1);
        List<String> sent = new ArrayList<>();
        List<String> log = new ArrayList<>();
        StatsReporter withoutCores = new StatsReporter(cores -> cores ? huge : "{}",
                b -> sent.add(new String(b, StandardCharsets.UTF_8)), log::add);
        withoutCores.report();
        assertThat(sent).containsExactly("{}");

        StatsReporter never = new StatsReporter(cores -> huge, b -> sent.add("sent"), log::add);
        never.report();
        never.report();
        assertThat(sent).hasSize(1);
        assertThat(log).singleElement().asString().contains("exceeds a control frame");
    }

    @Test
    void theEmperorReceivesFrame35RightAfterAccepting() throws Exception {
        Path socket = dir.resolve("emperor.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            EmperorLink link = EmperorLink.connectIfManaged(Map.of(EmperorMessage.ENV_SOCKET, socket.toString(),
                    EmperorMessage.ENV_TOKEN, "t0k"));
            try (SocketChannel emperor = server.accept()) {
                String json = "{\"version\":\"0.1.0\",\"workers\":[],\"imperium\":{\"generation\":2}}";
                StatsReporter reporter = new StatsReporter(cores -> json, link::statsReport, line -> { });
                link.afterAccepting(reporter::report);

                link.accepting(2);

                List<Frame> frames = read(emperor, 3);
                assertThat(frames).extracting(Frame::type).containsExactly(EmperorMessage.HELLO,
                        EmperorMessage.ACCEPTING, EmperorMessage.STATS_REPORT);
                assertThat(EmperorMessage.STATS_REPORT).isEqualTo(35);
                JsonNode report = new ObjectMapper().readTree(frames.get(2).text());
                assertThat(report.at("/imperium/generation").asInt()).isEqualTo(2);
            } finally {
                link.close();
            }
        }
    }

    private static List<Frame> read(SocketChannel channel, int count) throws Exception {
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> frames = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (frames.size() < count) {
            buffer.clear();
            int n = channel.read(buffer);
            assertThat(n).isPositive();
            frames.addAll(decoder.feed(buffer.array(), 0, n));
        }
        return frames;
    }
}
