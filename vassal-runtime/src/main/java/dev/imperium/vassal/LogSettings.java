package dev.imperium.vassal;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;
import dev.imperium.logging.LogDate;
import dev.imperium.logging.LogFormat;
import dev.imperium.logging.LoggerSpec;
import dev.imperium.logging.RequestLogPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The logging options of a vassal (uwsgi-docs "Logging", "LogFormat"), read and checked once: a bad
 * {@code log-format} variable or logger is an error naming its file and line.
 *
 * @param logto the log file or UDP address ({@code logto}), or null
 * @param logto2 the same, owned by the workers' user ({@code logto2}), or null
 * @param format the compiled {@code log-format}, or null for uWSGI's default request line
 * @param date the {@code log-date} prefix of the vassal's own lines
 * @param maxSize rotate the log file past this many bytes ({@code log-maxsize}; 0 = never)
 * @param backupName where a rotated log goes ({@code log-backupname}), or null for {@code FILE.EPOCHSECONDS}
 * @param touchRotate files whose touch rotates the log ({@code touch-logrotate})
 * @param touchReopen files whose touch reopens the log ({@code touch-logreopen})
 * @param reopenOnReload reopen the log at each reload ({@code log-reopen})
 * @param truncate empty the log file at start ({@code log-truncate})
 * @param chown give the log file to the workers' uid/gid ({@code logfile-chown})
 * @param loggers where the vassal's lines go instead of the log ({@code logger}, {@code log-syslog},
 *     {@code log-socket})
 * @param requestLoggers where request lines go ({@code req-logger}); empty: where the other lines go
 * @param policy which requests are logged ({@code disable-logging}, {@code log-4xx}, {@code log-slow}...)
 * @param micros the default request line gives the time in microseconds ({@code log-micros})
 * @param forwardedFor the request line's address is the {@code X-Forwarded-For} value
 *     ({@code log-x-forwarded-for})
 * @param memoryReport the default request line starts with the worker's memory ({@code memory-report})
 */
public record LogSettings(String logto, String logto2, LogFormat format, LogDate date, long maxSize,
                          String backupName, List<String> touchRotate, List<String> touchReopen,
                          boolean reopenOnReload, boolean truncate, boolean chown, List<LoggerSpec> loggers,
                          List<LoggerSpec> requestLoggers, RequestLogPolicy policy, boolean micros,
                          boolean forwardedFor, boolean memoryReport) {

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the option and its file and line when a value is invalid
     */
    public static LogSettings from(VassalConfig config) {
        boolean rfc5424 = switch (config.string("imperium-syslog-format", "rfc3164").trim().toLowerCase(Locale.ROOT)) {
            case "rfc3164", "3164" -> false;
            case "rfc5424", "5424" -> true;
            default -> throw new IllegalArgumentException(where(config, "imperium-syslog-format")
                    + "imperium-syslog-format: expected rfc3164 or rfc5424, got '"
                    + config.string("imperium-syslog-format", "") + "'");
        };
        LogDate date = LogDate.parse(config.value("log-date").orElse(null));
        LogFormat format = null;
        if (config.isSet("log-format")) {
            try {
                format = LogFormat.compile(config.value("log-format").orElseThrow(),
                        config.flag("log-format-strftime") ? date.format() : null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(config, "log-format") + "log-format: " + e.getMessage(), e);
            }
        }
        String host = dev.imperium.jwsgi.Hostname.get();
        List<LoggerSpec> loggers = new ArrayList<>();
        for (ConfigEntry e : config.entries().stream().filter(e -> isServerLogger(VassalConfig.canonicalKey(e)))
                .toList()) {
            String key = VassalConfig.canonicalKey(e);
            String value = switch (key) {
                case "log-syslog" -> e.value().isBlank() || isTrue(e.value()) ? "syslog" : "syslog:" + e.value();
                case "log-socket" -> "socket:" + e.value();
                default -> e.value();
            };
            loggers.add(logger(e, key, value, rfc5424, host));
        }
        List<LoggerSpec> requestLoggers = new ArrayList<>();
        for (ConfigEntry e : config.entries("req-logger")) {
            requestLoggers.add(logger(e, "req-logger", e.value(), rfc5424, host));
        }
        RequestLogPolicy policy = new RequestLogPolicy(!config.flag("disable-logging"), config.flag("log-zero"),
                number(config, "log-slow"), config.flag("log-4xx"), config.flag("log-5xx"), number(config, "log-big"),
                config.flag("log-ioerror"));
        return new LogSettings(config.value("logto").orElse(null), config.value("logto2").orElse(null), format, date,
                number(config, "log-maxsize"), config.value("log-backupname").orElse(null),
                config.values("touch-logrotate"), config.values("touch-logreopen"), config.flag("log-reopen"),
                config.flag("log-truncate"), config.flag("logfile-chown"), List.copyOf(loggers),
                List.copyOf(requestLoggers), policy, config.flag("log-micros"), config.flag("log-x-forwarded-for"),
                config.flag("memory-report"));
    }

    private static boolean isServerLogger(String key) {
        return key.equals("logger") || key.equals("log-syslog") || key.equals("log-socket");
    }

    private static boolean isTrue(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            default -> false;
        };
    }

    private static LoggerSpec logger(ConfigEntry e, String key, String value, boolean rfc5424, String host) {
        try {
            return LoggerSpec.parse(value, rfc5424, host);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(e.origin() + ": " + key + ": " + ex.getMessage(), ex);
        }
    }

    private static long number(VassalConfig config, String name) {
        String value = config.value(name).orElse("0").trim();
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(config, name) + "option '" + name
                    + "' needs a whole number of bytes or ms, got '" + value + "'");
        }
    }

    private static String where(VassalConfig config, String name) {
        List<ConfigEntry> entries = config.entries(name);
        return entries.isEmpty() ? "" : entries.getLast().origin() + ": ";
    }

    /** Returns the log file or UDP address the vassal writes to: {@code logto2} when set, else {@code logto}. */
    public String target() {
        return logto2 != null ? logto2 : logto;
    }

    /** Returns the request log of the defaults: every request, uWSGI's line. */
    public static LogSettings defaults() {
        return new LogSettings(null, null, null, LogDate.OFF, 0, null, List.of(), List.of(), false, false, false,
                List.of(), List.of(), RequestLogPolicy.DEFAULT, false, false, false);
    }
}
