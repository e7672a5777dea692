package dev.imperium.emperor;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the emperor writes its log ({@code --log-format}):
 * <ul>
 *   <li>{@code text} (default): uWSGI's lines; each vassal line is tagged with the vassal's name,
 *       {@code [app.ini] LINE};</li>
 *   <li>{@code plain}: as uWSGI's emperor, vassal lines untagged;</li>
 *   <li>{@code json}: one JSON object per line, for log shippers (Vector, Fluent Bit, Promtail, Filebeat):
 *       <pre>{"time":"2026-11-25T07:58:51.123+01:00","source":"vassal","vassal":"app.ini","pid":4242,
 *  "stream":"stderr","message":"spawned uWSGI worker 1 (pid: 4250, cores: 1)"}</pre>
 *       {@code source} is {@code emperor} or {@code vassal}; {@code vassal} is the vassal's file name (absent on
 *       the emperor's lines); {@code pid} the vassal master's pid (the emperor's own on its lines); {@code stream}
 *       where the line was written ({@code stdout}, {@code stderr}); {@code message} the line without its time
 *       stamp, invalid UTF-8 replaced.</li>
 * </ul>
 */
public enum EmperorLogFormat {
    TEXT, PLAIN, JSON;

    /**
     * Reads an option value.
     *
     * @throws IllegalArgumentException for anything but text, plain or json
     */
    public static EmperorLogFormat parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "plain", "uwsgi" -> PLAIN;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("--log-format must be text, plain or json, got '" + value
                    + "'");
        };
    }

    /**
     * Wraps the console in this format.
     *
     * @param console where lines go
     * @param clock the clock of JSON times
     * @return the sink the emperor writes to
     */
    public LineSink wrap(LineSink console, Clock clock) {
        return switch (this) {
            case TEXT -> console;
            case PLAIN -> new Plain(console);
            case JSON -> new Json(console, clock, ProcessHandle.current().pid());
        };
    }

    /** Vassal lines untagged, as uWSGI's emperor writes them. */
    private record Plain(LineSink console) implements LineSink {
        @Override
        public void out(byte[] line) {
            console.out(line);
        }

        @Override
        public void err(byte[] line) {
            console.err(line);
        }

        @Override
        public void vassal(String vassal, long pid, boolean err, byte[] line) {
            if (err) {
                console.err(line);
            } else {
                console.out(line);
            }
        }
    }

    /** One JSON object per line. */
    static final class Json implements LineSink {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
        private final LineSink console;
        private final Clock clock;
        private final long emperorPid;

        Json(LineSink console, Clock clock, long emperorPid) {
            this.console = console;
            this.clock = clock;
            this.emperorPid = emperorPid;
        }

        @Override
        public void out(byte[] line) {
            console.out(object(null, emperorPid, false, new String(line, StandardCharsets.UTF_8)));
        }

        @Override
        public void err(byte[] line) {
            console.err(object(null, emperorPid, true, new String(line, StandardCharsets.UTF_8)));
        }

        @Override
        public void emperor(String stamp, String text) {
            console.out(object(null, emperorPid, false, text));
        }

        @Override
        public void vassal(String vassal, long pid, boolean err, byte[] line) {
            byte[] json = object(vassal, pid, err, new String(line, StandardCharsets.UTF_8));
            if (err) {
                console.err(json);
            } else {
                console.out(json);
            }
        }

        /** Builds one line's object. */
        byte[] object(String vassal, long pid, boolean err, String message) {
            StringBuilder out = new StringBuilder(96 + message.length());
            out.append("{\"time\":\"").append(TIME.format(OffsetDateTime.now(clock))).append("\",\"source\":\"")
                    .append(vassal == null ? "emperor" : "vassal").append('"');
            if (vassal != null) {
                out.append(",\"vassal\":");
                quote(out, vassal);
            }
            out.append(",\"pid\":").append(pid).append(",\"stream\":\"").append(err ? "stderr" : "stdout")
                    .append("\",\"message\":");
            quote(out, message);
            return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }

        /** A JSON string (RFC 8259 §7). */
        static void quote(StringBuilder out, String s) {
            dev.imperium.app.Json.quote(out, s);
        }
    }
}
