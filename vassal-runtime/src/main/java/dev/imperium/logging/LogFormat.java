package dev.imperium.logging;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A compiled {@code log-format}: uWSGI's request log template (uwsgi-docs "LogFormat"; {@code core/logging.c}
 * {@code uwsgi_build_log_format}, {@code uwsgi_register_logchunks}), parsed once, then filled for each request with
 * no parsing and no map lookups.
 *
 * <p>{@code %(name)} is a variable; everything else is copied as written. The variables are uWSGI's: {@code uri
 * method user addr host proto uagent referer status rsize hsize size cl micros msecs secs tmsecs tmicros time ltime
 * ftime ctime epoch pid wid switches vars core vsz rss vszM rssM pktsize modifier1 modifier2 headers rerr werr
 * ioerr}, {@code var.NAME} (any request variable) and any other name for a log variable set by routing's
 * {@code logvar:}. As in uWSGI, a variable with an empty value prints {@code -}. {@code metric.NAME} is refused:
 * Imperium has no metrics subsystem.
 *
 * <p>Immutable and thread-safe.
 */
public final class LogFormat {
    /** The built-in variables. */
    enum Var {
        URI, METHOD, USER, ADDR, HOST, PROTO, UAGENT, REFERER, STATUS, RSIZE, HSIZE, SIZE, CL, MICROS, MSECS, SECS,
        TMSECS, TMICROS, TIME, LTIME, FTIME, CTIME, EPOCH, PID, WID, SWITCHES, VARS, CORE, VSZ, RSS, VSZM, RSSM,
        PKTSIZE, MODIFIER1, MODIFIER2, HEADERS, RERR, WERR, IOERR;

        /** The name in a format: {@code %(vszM)}. */
        String token() {
            return switch (this) {
                case VSZM -> "vszM";
                case RSSM -> "rssM";
                default -> name().toLowerCase(Locale.ROOT);
            };
        }

        static Var of(String token) {
            for (Var v : values()) {
                if (v.token().equals(token)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** One piece: literal text, a built-in variable, a request variable or a log variable. */
    private record Chunk(String text, Var var, String requestVar, String logVar) {
    }

    private final String source;
    private final Chunk[] chunks;
    private final Strftime ftime;
    private final ZoneId zone;
    private final boolean memory;
    private volatile Stamp ltimeStamp = new Stamp(Long.MIN_VALUE, "");
    private volatile Stamp ftimeStamp = new Stamp(Long.MIN_VALUE, "");

    /** The text of the last second formatted, shared by the requests of that second. */
    private record Stamp(long second, String text) {
    }

    private LogFormat(String source, Chunk[] chunks, Strftime ftime, ZoneId zone) {
        this.source = source;
        this.chunks = chunks;
        this.ftime = ftime;
        this.zone = zone;
        boolean memory = false;
        for (Chunk c : chunks) {
            memory |= c.var == Var.VSZ || c.var == Var.RSS || c.var == Var.VSZM || c.var == Var.RSSM;
        }
        this.memory = memory;
    }

    /**
     * Compiles a format in the local time zone.
     *
     * @param format the {@code log-format} value
     * @param ftime the format of {@code %(ftime)} ({@code log-date}'s, under {@code log-format-strftime}), or null
     *     for uWSGI's default, the {@code %(ltime)} form
     * @return the compiled format
     * @throws IllegalArgumentException for a variable Imperium cannot fill ({@code metric.NAME})
     */
    public static LogFormat compile(String format, Strftime ftime) {
        return compile(format, ftime, ZoneId.systemDefault());
    }

    /** As {@link #compile(String, Strftime)}, with the time zone of {@code %(ltime)}, {@code %(ctime)}... */
    static LogFormat compile(String format, Strftime ftime, ZoneId zone) {
        List<Chunk> chunks = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            int open = format.indexOf("%(", i);
            int close = open < 0 ? -1 : format.indexOf(')', open + 2);
            if (open < 0 || close < 0) {
                text.append(format, i, format.length());
                break;
            }
            String name = format.substring(open + 2, close);
            if (name.isEmpty()) {
                text.append(format, i, close + 1);
                i = close + 1;
                continue;
            }
            text.append(format, i, open);
            if (!text.isEmpty()) {
                chunks.add(new Chunk(text.toString(), null, null, null));
                text.setLength(0);
            }
            chunks.add(variable(name));
            i = close + 1;
        }
        if (!text.isEmpty()) {
            chunks.add(new Chunk(text.toString(), null, null, null));
        }
        return new LogFormat(format, chunks.toArray(new Chunk[0]), ftime, zone);
    }

    private static Chunk variable(String name) {
        Var var = Var.of(name);
        if (var != null) {
            return new Chunk(null, var, null, null);
        }
        if (name.startsWith("var.") && name.length() > 4) {
            return new Chunk(null, null, name.substring(4), null);
        }
        if (name.startsWith("metric.")) {
            throw new IllegalArgumentException("%(" + name + "): uWSGI's metrics subsystem is not implemented");
        }
        return new Chunk(null, null, null, name);
    }

    /** Returns the format as written. */
    public String source() {
        return source;
    }

    /** Returns true if the format shows the process's memory ({@code vsz}, {@code rss}...). */
    public boolean usesMemory() {
        return memory;
    }

    /**
     * Formats one request.
     *
     * @param entry the request
     * @return the line, without a line terminator
     */
    public String format(RequestLogEntry entry) {
        StringBuilder out = new StringBuilder(160);
        appendTo(out, entry);
        return out.toString();
    }

    /** Appends the line for {@code entry} to {@code out}, without a line terminator. */
    public void appendTo(StringBuilder out, RequestLogEntry entry) {
        for (Chunk c : chunks) {
            if (c.text != null) {
                out.append(c.text);
            } else if (c.var != null) {
                append(out, c.var, entry);
            } else if (c.requestVar != null) {
                text(out, entry.var(c.requestVar));
            } else {
                text(out, entry.logVar(c.logVar));
            }
        }
    }

    private void append(StringBuilder out, Var var, RequestLogEntry e) {
        switch (var) {
            case URI -> text(out, e.uri());
            case METHOD -> text(out, e.method());
            case USER -> text(out, e.user());
            case ADDR -> text(out, e.addr());
            case HOST -> text(out, e.host());
            case PROTO -> text(out, e.proto());
            case UAGENT -> text(out, e.userAgent());
            case REFERER -> text(out, e.referer());
            case STATUS -> out.append(e.status());
            case RSIZE -> out.append(e.bodyBytes());
            case HSIZE -> out.append(e.headerBytes());
            case SIZE -> out.append(e.headerBytes() + e.bodyBytes());
            case CL -> out.append(e.contentLength());
            case MICROS -> out.append(e.durationMicros());
            case MSECS -> out.append(e.durationMicros() / 1000);
            case SECS -> seconds(out, e.durationMicros());
            case TMSECS -> out.append(e.startMicros() / 1000);
            case TMICROS -> out.append(e.startMicros());
            case TIME -> out.append(Math.floorDiv(e.startMicros(), 1_000_000L));
            case LTIME -> out.append(ltime(Math.floorDiv(e.startMicros(), 1_000_000L)));
            case FTIME -> out.append(ftime == null ? ltime(Math.floorDiv(e.startMicros(), 1_000_000L))
                    : ftime(Math.floorDiv(e.startMicros(), 1_000_000L)));
            case CTIME -> out.append(Ctime.of(Math.floorDiv(e.startMicros(), 1000L), zone));
            case EPOCH -> out.append(System.currentTimeMillis() / 1000);
            case PID -> out.append(e.pid());
            case WID -> out.append(e.workerId());
            case SWITCHES -> out.append(1);
            case VARS -> out.append(e.varCount());
            case CORE -> out.append(e.core());
            case VSZ -> out.append(e.vszBytes());
            case RSS -> out.append(e.rssBytes());
            case VSZM -> out.append(e.vszBytes() / 1024 / 1024);
            case RSSM -> out.append(e.rssBytes() / 1024 / 1024);
            case PKTSIZE -> out.append(e.varBytes());
            case MODIFIER1 -> out.append(e.modifier1());
            case MODIFIER2 -> out.append(0);
            case HEADERS -> out.append(e.headerCount());
            case RERR -> out.append(e.readErrors());
            case WERR -> out.append(e.writeErrors());
            case IOERR -> out.append(e.readErrors() + e.writeErrors());
        }
    }

    /** A text value; empty or missing prints {@code -}, as uWSGI. */
    private static void text(StringBuilder out, String value) {
        out.append(value == null || value.isEmpty() ? "-" : value);
    }

    /** C's {@code %f} of a duration in seconds (uWSGI's {@code uwsgi_float2str}): {@code 0.000166}. */
    static void seconds(StringBuilder out, long micros) {
        out.append(micros / 1_000_000).append('.');
        String fraction = Long.toString(micros % 1_000_000);
        for (int i = fraction.length(); i < 6; i++) {
            out.append('0');
        }
        out.append(fraction);
    }

    /** Apache's time, {@code 25/Nov/2026:07:50:48 +0000} (uWSGI's {@code %d/%b/%Y:%H:%M:%S %z}). */
    private String ltime(long second) {
        Stamp stamp = ltimeStamp;
        if (stamp.second() != second) {
            stamp = new Stamp(second, LTIME_FORMAT.format(time(second)));
            ltimeStamp = stamp;
        }
        return stamp.text();
    }

    private String ftime(long second) {
        Stamp stamp = ftimeStamp;
        if (stamp.second() != second) {
            stamp = new Stamp(second, ftime.format(time(second)));
            ftimeStamp = stamp;
        }
        return stamp.text();
    }

    private ZonedDateTime time(long second) {
        return ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), zone);
    }

    private static final Strftime LTIME_FORMAT = Strftime.compile("%d/%b/%Y:%H:%M:%S %z");

    /** The names a format may use besides {@code var.NAME} and log variables, for messages and docs. */
    public static Set<String> variableNames() {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (Var v : Var.values()) {
            names.add(v.token());
        }
        return names;
    }
}
