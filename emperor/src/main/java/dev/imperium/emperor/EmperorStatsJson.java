package dev.imperium.emperor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the emperor stats document: uWSGI 2.0's {@code emperor_send_stats} ({@code core/emperor.c},
 * uwsgi-features.md §1.15, the real sample in uwsgi-measured.md §7) with its field names, order and types (flags
 * as 0/1, times as epoch seconds, 0 for never), tab-indented as uWSGI writes it or minified
 * ({@code --stats-minified}).
 *
 * <p>Imperium adds one object {@code "imperium"} at the top level (the emperor's start limits) and one in each
 * vassal object, after uWSGI's fields, so that tools reading uWSGI's fields see them unchanged:
 * {@code config}, {@code status}, {@code state}, {@code up}, {@code generation}, {@code spawns}, {@code restarts},
 * {@code restarts_by_reason}, {@code failures}, {@code backoff_delay}, {@code backoff_remaining} (seconds),
 * {@code waiting}, {@code started_at}, {@code last_report}, {@code last_error}, {@code last_error_at}.
 *
 * <p>The {@code blacklist} lists the vassals in a row of failures, as uWSGI lists its throttled vassals:
 * {@code throttle_level} is the current backoff delay in milliseconds, {@code attempt} the failures in a row.
 */
final class EmperorStatsJson {
    private static final JsonFactory JSON = new JsonFactory();

    private EmperorStatsJson() {
    }

    /**
     * Renders a snapshot.
     *
     * @param s the emperor and its vassals
     * @param minified no indentation ({@code stats-minified}); otherwise uWSGI's tabs
     * @return the UTF-8 document, without a trailing newline (as uWSGI)
     */
    static byte[] render(EmperorSnapshot s, boolean minified) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 900 * s.vassals().size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (!minified) {
                g.setPrettyPrinter(new UwsgiLayout());
            }
            write(g, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, EmperorSnapshot s) throws IOException {
        String dir = s.monitor();
        g.writeStartObject();
        g.writeStringField("version", s.version());
        g.writeNumberField("pid", s.pid());
        g.writeNumberField("uid", s.uid());
        g.writeNumberField("gid", s.gid());
        g.writeStringField("cwd", s.cwd());
        g.writeArrayFieldStart("emperor");
        g.writeString(dir);
        g.writeEndArray();
        g.writeNumberField("emperor_tyrant", s.tyrant() ? 1 : 0);
        g.writeNumberField("throttle_level", 0);
        g.writeArrayFieldStart("vassals");
        for (VassalSnapshot v : s.vassals()) {
            vassal(g, v, dir);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("blacklist");
        for (VassalSnapshot v : s.vassals()) {
            if (v.failures() > 0) {
                g.writeStartObject();
                g.writeStringField("id", v.name());
                g.writeNumberField("throttle_level", v.backoffDelayMillis());
                g.writeNumberField("attempt", v.failures());
                g.writeNumberField("first_attempt", v.firstFailure());
                g.writeNumberField("last_attempt", v.lastFailure());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeObjectFieldStart("imperium");
        g.writeNumberField("started_at", s.startedAtMillis() / 1000);
        g.writeNumberField("vassals", s.vassals().size());
        g.writeNumberField("start_concurrency", s.startConcurrency());
        g.writeNumberField("starting", s.starting());
        g.writeNumberField("waiting", s.waiting());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void vassal(JsonGenerator g, VassalSnapshot v, String dir) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", v.name());
        g.writeNumberField("pid", v.pid());
        g.writeNumberField("born", v.born());
        g.writeNumberField("last_mod", v.lastMod());
        g.writeNumberField("last_heartbeat", v.lastHeartbeat());
        g.writeNumberField("loyal", flag(v.loyal()));
        g.writeNumberField("ready", flag(v.ready()));
        g.writeNumberField("accepting", flag(v.accepting()));
        g.writeNumberField("last_loyal", v.lastLoyal());
        g.writeNumberField("last_ready", v.lastReady());
        g.writeNumberField("last_accepting", v.lastAccepting());
        g.writeNumberField("first_run", v.firstRun());
        g.writeNumberField("last_run", v.lastRun());
        g.writeNumberField("cursed", v.cursed());
        g.writeNumberField("zerg", flag(dev.imperium.emperor.broodlord.Brood.isZergName(v.name()))); // broodlord
        g.writeStringField("on_demand", v.onDemand());
        g.writeNumberField("uid", v.uid()); // uWSGI fills these in tyrant mode only
        g.writeNumberField("gid", v.gid());
        g.writeStringField("monitor", dir);
        g.writeNumberField("respawns", v.reloads());
        g.writeObjectFieldStart("imperium");
        g.writeStringField("config", v.config().toString());
        g.writeStringField("status", v.status());
        g.writeStringField("state", v.state().name().toLowerCase(java.util.Locale.ROOT));
        g.writeNumberField("up", flag(v.up()));
        g.writeNumberField("generation", v.generation());
        g.writeNumberField("spawns", v.spawns());
        g.writeNumberField("restarts", v.restartsTotal());
        g.writeObjectFieldStart("restarts_by_reason");
        for (RestartReason r : RestartReason.values()) {
            g.writeNumberField(r.label(), v.restarts(r));
        }
        g.writeEndObject();
        g.writeNumberField("failures", v.failures());
        g.writeNumberField("backoff_delay", v.backoffDelayMillis() / 1000.0);
        g.writeNumberField("backoff_remaining", v.backoffRemainingMillis() / 1000.0);
        g.writeNumberField("waiting", flag(v.waiting()));
        g.writeNumberField("started_at", v.processStartMillis() / 1000);
        g.writeNumberField("last_report", v.lastReportMillis() / 1000);
        if (v.lastError() == null) {
            g.writeNullField("last_error");
        } else {
            g.writeStringField("last_error", v.lastError());
        }
        g.writeNumberField("last_error_at", v.lastErrorAt());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    /**
     * uWSGI's stats layout ({@code core/stats.c}): a newline after each opening bracket and each comma, one tab per
     * level, no spaces around the colon.
     */
    private static final class UwsgiLayout implements PrettyPrinter {
        private int level;

        private void newLineAndTabs(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            for (int i = 0; i < level; i++) {
                g.writeRaw('\t');
            }
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
            // a single root value
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            level++;
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            level--;
            newLineAndTabs(g);
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newLineAndTabs(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(':');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            level++;
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            level--;
            newLineAndTabs(g);
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newLineAndTabs(g);
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            newLineAndTabs(g);
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newLineAndTabs(g);
        }
    }
}
