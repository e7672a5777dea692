package dev.imperium.emperor.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes a {@link FleetSnapshot} as the fleet page's JSON ({@code GET /api/fleet}), keys in snake_case as in
 * uWSGI's stats:
 *
 * <pre>{@code
 * {"time": 1795432479123,
 *  "emperor": {"pid": 4242, "started": 1795432400000, "host": "web1", "vassals_dir": "/etc/imperium/vassals"},
 *  "vassals": [{"name": "app.ini", "state": "RUNNING", "pid": 4250, "generation": 2, "restarts": 0,
 *               "failures": 0, "uptime_seconds": 79.1, "workers_busy": 1, "workers_total": 4,
 *               "requests_total": 1200,
 *               "last_error": {"message": "refused the reload: ...", "time": 1795432470000, "log": ["..."]}}]}
 * }</pre>
 *
 * Times are milliseconds since the epoch; a vassal's unknown values (see {@link VassalRow}) are left out;
 * {@code backoff_seconds} is there only in the backoff state, {@code waiting} only when true. Strings are escaped as RFC 8259 requires, and
 * {@code <}, {@code >} and {@code &} as {@code \}{@code uXXXX} too, so that the document stays inert however a
 * client embeds it.
 */
public final class FleetJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private FleetJson() {
    }

    /**
     * Encodes a snapshot.
     *
     * @param snapshot the fleet
     * @return the UTF-8 JSON document
     */
    public static byte[] encode(FleetSnapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * snapshot.vassals().size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setCharacterEscapes(new SafeEscapes());
            g.writeStartObject();
            g.writeNumberField("time", snapshot.takenAtMillis());
            g.writeObjectFieldStart("emperor");
            g.writeNumberField("pid", snapshot.emperorPid());
            if (snapshot.emperorStartedMillis() > 0) {
                g.writeNumberField("started", snapshot.emperorStartedMillis());
            }
            g.writeStringField("host", snapshot.host());
            g.writeStringField("vassals_dir", snapshot.vassalDir());
            g.writeEndObject();
            g.writeArrayFieldStart("vassals");
            for (VassalRow v : snapshot.vassals()) {
                writeVassal(g, v);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static void writeVassal(JsonGenerator g, VassalRow v) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", v.name());
        g.writeStringField("state", v.state());
        if (v.waiting()) {
            g.writeBooleanField("waiting", true);
        }
        if (v.pid() != null) {
            g.writeNumberField("pid", v.pid());
        }
        if (v.generation() != null) {
            g.writeNumberField("generation", v.generation());
        }
        g.writeNumberField("restarts", v.restarts());
        g.writeNumberField("failures", v.failures());
        if (v.backoffMillis() != null) {
            g.writeNumberField("backoff_seconds", seconds(v.backoffMillis()));
        }
        if (v.uptimeMillis() != null) {
            g.writeNumberField("uptime_seconds", seconds(v.uptimeMillis()));
        }
        if (v.workersBusy() != null) {
            g.writeNumberField("workers_busy", v.workersBusy());
        }
        if (v.workersTotal() != null) {
            g.writeNumberField("workers_total", v.workersTotal());
        }
        if (v.requestsTotal() != null) {
            g.writeNumberField("requests_total", v.requestsTotal());
        }
        VassalRow.Problem p = v.lastError();
        if (p != null) {
            g.writeObjectFieldStart("last_error");
            g.writeStringField("message", p.message());
            g.writeNumberField("time", p.atMillis());
            if (!p.log().isEmpty()) {
                g.writeArrayFieldStart("log");
                for (String line : p.log()) {
                    g.writeString(line);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Milliseconds as seconds with one decimal. */
    private static double seconds(long millis) {
        return Math.round(millis / 100.0) / 10.0;
    }

    /** Jackson's standard escapes, plus {@code < > &}. */
    private static final class SafeEscapes extends com.fasterxml.jackson.core.io.CharacterEscapes {
        private final int[] table;

        SafeEscapes() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return null; // only asked for ESCAPE_CUSTOM entries, and there are none
        }
    }
}
