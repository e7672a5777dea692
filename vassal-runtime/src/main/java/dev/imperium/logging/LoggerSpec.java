package dev.imperium.logging;

import java.util.Locale;
import java.util.Map;

/**
 * One {@code logger} or {@code req-logger} value, parsed as uWSGI 2.0 reads it ({@code core/logging.c}
 * {@code setup_choosen_logger}; the plugins {@code logfile}, {@code syslog}, {@code rsyslog}, {@code logsocket}):
 * {@code PLUGIN[:ARGS]}.
 *
 * <ul>
 *   <li>{@code file:PATH}, or {@code file:logfile=PATH,maxsize=BYTES,backupname=NAME} (rotated past
 *       {@code maxsize});</li>
 *   <li>{@code syslog[:IDENT[,FACILITY]]}: the local syslog daemon, {@code /dev/log} (ident {@code uwsgi}, facility
 *       {@code daemon}, severity info, as uWSGI's {@code syslog(3)} call);</li>
 *   <li>{@code rsyslog:HOST:PORT[,PREFIX[,PRI]]}, or {@code rsyslog:/PATH,...}: a syslog server over UDP (port 514
 *       by default) or a UNIX datagram socket; PREFIX defaults to {@code HOSTNAME uwsgi}, PRI to 29;</li>
 *   <li>{@code socket:ADDRESS}: each line as a datagram to {@code HOST:PORT} (UDP) or a UNIX datagram socket;</li>
 *   <li>{@code stdio}: the vassal's log ({@code logto}, or standard error).</li>
 * </ul>
 * uWSGI's named loggers ({@code NAME PLUGIN:ARGS}) only receive lines through {@code log-route}, which Imperium
 * does not implement: they are refused, as are the other plugins.
 */
public sealed interface LoggerSpec {
    /** {@code file:}: a file, rotated by size when {@code maxsize} is set. */
    record File(String path, long maxSize, String backupName) implements LoggerSpec {
    }

    /** {@code syslog:}, {@code rsyslog:} and {@code socket:}: datagrams to a syslog daemon or a socket. */
    record Datagram(Address address, SyslogFormat.Framing framing) implements LoggerSpec {
    }

    /** {@code stdio}: the vassal's own log. */
    record Stdio() implements LoggerSpec {
    }

    /**
     * Where datagrams go.
     *
     * @param host the UDP host, or null for a UNIX socket
     * @param port the UDP port
     * @param path the UNIX datagram socket's path, or null
     */
    record Address(String host, int port, String path) {
        /** Returns {@code HOST:PORT} or the path. */
        @Override
        public String toString() {
            return path != null ? path : host + ":" + port;
        }
    }

    /** The local syslog socket. */
    String DEV_LOG = "/dev/log";

    /** The facilities of {@code syslog:IDENT,FACILITY}, as uWSGI's syslog plugin names them. */
    Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("kern", 0), Map.entry("user", 1),
            Map.entry("mail", 2), Map.entry("daemon", 3), Map.entry("auth", 4), Map.entry("security", 4),
            Map.entry("syslog", 5), Map.entry("lpr", 6), Map.entry("news", 7), Map.entry("uucp", 8),
            Map.entry("cron", 9), Map.entry("authpriv", 10), Map.entry("ftp", 11), Map.entry("local0", 16),
            Map.entry("local1", 17), Map.entry("local2", 18), Map.entry("local3", 19), Map.entry("local4", 20),
            Map.entry("local5", 21), Map.entry("local6", 22), Map.entry("local7", 23));

    /**
     * Parses one value.
     *
     * @param value the {@code logger} or {@code req-logger} value
     * @param rfc5424 frame syslog messages as RFC 5424 instead of RFC 3164 ({@code imperium-syslog-format})
     * @param hostname this host's name, for the default {@code rsyslog} prefix and RFC 5424's HOSTNAME
     * @return the logger
     * @throws IllegalArgumentException naming what is wrong, in uWSGI's words where it has some
     */
    static LoggerSpec parse(String value, boolean rfc5424, String hostname) {
        String v = value.trim();
        int space = v.indexOf(' ');
        if (space > 0 && v.substring(0, space).chars().allMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("named logger '" + v.substring(0, space) + "': named loggers receive "
                    + "lines only through log-route, which Imperium does not implement");
        }
        int colon = v.indexOf(':');
        String plugin = colon < 0 ? v : v.substring(0, colon);
        String args = colon < 0 || colon + 1 == v.length() ? null : v.substring(colon + 1);
        return switch (plugin) {
            case "file" -> file(args);
            case "stdio" -> new Stdio();
            case "syslog" -> syslog(args, rfc5424, hostname);
            case "rsyslog" -> rsyslog(args, rfc5424, hostname);
            case "socket" -> {
                if (args == null) {
                    throw new IllegalArgumentException("socket logger: missing address (socket:HOST:PORT or"
                            + " socket:/path)");
                }
                yield new Datagram(address(args, -1), new SyslogFormat.Framing(SyslogFormat.Style.RAW, 0, null,
                        null, SyslogFormat.LOCAL_MAX));
            }
            default -> throw new IllegalArgumentException("unable to find logger " + plugin
                    + " (Imperium has file, syslog, rsyslog, socket and stdio)");
        };
    }

    private static LoggerSpec file(String args) {
        if (args == null) {
            throw new IllegalArgumentException("file logger: missing path (file:/var/log/app.log)");
        }
        if (!args.contains("=")) {
            return new File(args, 0, null);
        }
        String path = null;
        long maxSize = 0;
        String backup = null;
        for (String item : args.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("[uwsgi-logfile] invalid keyval syntax: " + item);
            }
            String key = item.substring(0, eq);
            String val = item.substring(eq + 1);
            switch (key) {
                case "logfile" -> path = val;
                case "backupname" -> backup = val;
                case "maxsize" -> {
                    try {
                        maxSize = Long.parseLong(val.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("file logger: maxsize needs a number of bytes, got '"
                                + val + "'");
                    }
                }
                default -> throw new IllegalArgumentException("[uwsgi-logfile] invalid keyval syntax: unknown key "
                        + key + " (logfile, maxsize, backupname)");
            }
        }
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("[uwsgi-logfile] missing logfile key");
        }
        return new File(path, Math.max(0, maxSize), backup);
    }

    private static LoggerSpec syslog(String args, boolean rfc5424, String hostname) {
        String ident = "uwsgi";
        int facility = FACILITIES.get("daemon");
        if (args != null) {
            int comma = args.indexOf(',');
            ident = comma < 0 ? args : args.substring(0, comma);
            if (comma >= 0) {
                Integer f = FACILITIES.get(args.substring(comma + 1).trim().toLowerCase(Locale.ROOT));
                if (f == null) {
                    throw new IllegalArgumentException("syslog logger: unknown facility '" + args.substring(comma + 1)
                            + "' (" + String.join(", ", new java.util.TreeSet<>(FACILITIES.keySet())) + ")");
                }
                facility = f;
            }
        }
        int pri = facility * 8 + 6; // LOG_INFO, as uWSGI's syslog plugin
        SyslogFormat.Framing framing = rfc5424
                ? new SyslogFormat.Framing(SyslogFormat.Style.RFC5424, pri, hostname, ident, SyslogFormat.LOCAL_MAX)
                : new SyslogFormat.Framing(SyslogFormat.Style.RFC3164_LOCAL, pri, null, ident, SyslogFormat.LOCAL_MAX);
        return new Datagram(new Address(null, 0, DEV_LOG), framing);
    }

    private static LoggerSpec rsyslog(String args, boolean rfc5424, String hostname) {
        if (args == null) {
            throw new IllegalArgumentException("invalid rsyslog syntax (rsyslog:HOST:PORT[,PREFIX[,PRI]])");
        }
        String[] parts = args.split(",", 3);
        Address address = address(parts[0], 514);
        int pri = 29;
        if (parts.length > 2) {
            try {
                pri = Integer.parseInt(parts[2].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rsyslog logger: PRI must be a number, got '" + parts[2] + "'");
            }
            if (pri < 0 || pri > 191) {
                throw new IllegalArgumentException("rsyslog logger: PRI must be 0..191, got " + pri);
            }
        }
        if (rfc5424) {
            String app = parts.length > 1 ? parts[1] : "uwsgi";
            return new Datagram(address, new SyslogFormat.Framing(SyslogFormat.Style.RFC5424, pri, hostname, app,
                    SyslogFormat.RFC5424_UDP_MAX));
        }
        String prefix = parts.length > 1 ? parts[1] : hostname + " uwsgi";
        return new Datagram(address, new SyslogFormat.Framing(SyslogFormat.Style.RFC3164, pri, null, prefix,
                SyslogFormat.RFC3164_MAX));
    }

    /**
     * Reads {@code HOST:PORT} (UDP; {@code [v6]:PORT} too) or an absolute path (a UNIX datagram socket).
     *
     * @param defaultPort the port when none is written, or -1 if one is required
     */
    static Address address(String text, int defaultPort) {
        String t = text.trim();
        if (t.startsWith("/")) {
            return new Address(null, 0, t);
        }
        String host;
        String port = null;
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            if (end < 0 || end + 1 < t.length() && t.charAt(end + 1) != ':') {
                throw new IllegalArgumentException("invalid udp address '" + text + "' (HOST:PORT)");
            }
            host = t.substring(1, end);
            port = end + 1 < t.length() ? t.substring(end + 2) : null;
        } else {
            int colon = t.indexOf(':');
            host = colon < 0 ? t : t.substring(0, colon);
            port = colon < 0 ? null : t.substring(colon + 1);
        }
        int number = defaultPort;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
        }
        if (host.isEmpty() || number < 1 || number > 65535) {
            throw new IllegalArgumentException("invalid udp address '" + text + "' (HOST:PORT)");
        }
        return new Address(host, number, null);
    }
}
