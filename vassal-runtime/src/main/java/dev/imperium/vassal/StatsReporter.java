package dev.imperium.vassal;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends the vassal's stats to its emperor ({@link EmperorMessage#STATS_REPORT}): every {@value #PERIOD_SECONDS}
 * seconds and right after each generation accepts, the stats document as the stats server serves it, minified, with
 * the {@code "imperium"} totals. A frame holds at most {@link Frame#MAX_PAYLOAD} bytes: a document too large with its
 * cores (many workers times many threads) is sent without them, as under {@code stats-no-cores}; one still too large is
 * not sent, and that is logged once.
 */
final class StatsReporter {
    /** How often the report goes out, in seconds. */
    static final int PERIOD_SECONDS = 2;

    private final Function<Boolean, String> document;
    private final Consumer<byte[]> send;
    private final Consumer<String> log;
    private boolean toldTooLarge;

    /**
     * @param document the report's JSON; its argument says whether the workers' {@code cores} may be included
     * @param send sends a payload to the emperor
     * @param log where the one line about a report too large goes
     */
    StatsReporter(Function<Boolean, String> document, Consumer<byte[]> send, Consumer<String> log) {
        this.document = document;
        this.send = send;
        this.log = log;
    }

    /** Builds and sends one report. Call on the master's event loop. */
    void report() {
        byte[] payload = document.apply(true).getBytes(StandardCharsets.UTF_8);
        if (payload.length > Frame.MAX_PAYLOAD) {
            payload = document.apply(false).getBytes(StandardCharsets.UTF_8);
        }
        if (payload.length > Frame.MAX_PAYLOAD) {
            if (!toldTooLarge) {
                toldTooLarge = true;
                log.accept("the stats report (" + payload.length + " bytes) exceeds a control frame ("
                        + Frame.MAX_PAYLOAD + " bytes): not sent to the emperor");
            }
            return;
        }
        send.accept(payload);
    }
}
