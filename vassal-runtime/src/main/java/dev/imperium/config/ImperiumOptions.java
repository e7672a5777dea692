package dev.imperium.config;

import static dev.imperium.config.OptionStatus.BUILT_IN;
import static dev.imperium.config.OptionStatus.SUPPORTED;
import static dev.imperium.config.OptionType.FLAG;
import static dev.imperium.config.OptionType.KEY_VALUE;
import static dev.imperium.config.OptionType.MAPPING;
import static dev.imperium.config.OptionType.NUMBER;
import static dev.imperium.config.OptionType.STRING;

import java.util.ArrayList;
import java.util.List;

/**
 * What Imperium says about the options it honours: everything in the option table that is not
 * {@link OptionStatus#UNSUPPORTED}. Help texts left null come from uWSGI's {@code --help}.
 */
final class ImperiumOptions {
    static final String DOCS = "https://uwsgi-docs.readthedocs.io/en/latest/";
    /** Where Imperium's own options are documented. */
    static final String IMPERIUM_DOC = "vassal-runtime/CONFIG.md#imperium-extensions";

    /** How {@code --help} groups the options. */
    enum Category {
        OPTION("Options"),
        CONFIG("Config files and configuration logic"),
        BUILT_IN("Accepted for compatibility (Imperium always behaves this way)"),
        EXTENSION("Imperium extensions");

        final String title;

        Category(String title) {
            this.title = title;
        }
    }

    /** One row of Imperium's metadata. */
    record Spec(String name, List<String> aliases, OptionType type, String defaultValue, boolean repeatable,
            OptionStatus status, String docUrl, String help, Category category) {
    }

    static final List<Spec> SPECS = specs();

    private ImperiumOptions() {
    }

    /** uWSGI's reference page anchor for an option: {@code Options.html#name}. */
    static String optionsPage(String name) {
        // The page's anchors: lower case, every run of other characters one '-', none at either end.
        StringBuilder url = new StringBuilder(DOCS.length() + 14 + name.length()).append(DOCS).append("Options.html#");
        int start = url.length();
        boolean dash = false;
        for (int i = 0; i < name.length(); i++) {
            char c = Character.toLowerCase(name.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (dash && url.length() > start) {
                    url.append('-');
                }
                url.append(c);
                dash = false;
            } else {
                dash = true;
            }
        }
        return url.toString();
    }

    private static List<Spec> specs() {
        List<Spec> s = new ArrayList<>();
        // The options the vassal runtime implements, with uWSGI's meaning.
        opt(s, "http-socket", STRING, null, true, DOCS + "HTTP.html#http-sockets", null);
        opt(s, "socket", STRING, null, true, DOCS + "Protocol.html", null);
        opt(s, "uwsgi-socket", STRING, null, true, DOCS + "Protocol.html", null);
        opt(s, "http", STRING, null, true, DOCS + "HTTP.html#the-uwsgi-http-https-router", null);
        opt(s, "http-to", STRING, null, true, DOCS + "HTTP.html", null);
        opt(s, "http-processes", List.of("http-workers"), NUMBER, "1", false, null, null);
        opt(s, "http-keepalive", STRING, null, false, null,
                "keep HTTP/1.1 client connections open between requests (any value but 0/false)");
        opt(s, "http-timeout", NUMBER, "60", false, null, null);
        opt(s, "http-modifier1", NUMBER, "0", false, null, null);
        opt(s, "http-modifier2", NUMBER, "0", false, null, null);
        opt(s, "fastcgi-socket", STRING, null, true, DOCS + "Protocol.html", null);
        opt(s, "scgi-socket", STRING, null, true, DOCS + "Protocol.html", null);
        opt(s, "fastcgi-nph-socket", STRING, null, true, DOCS + "Protocol.html", null);
        opt(s, "scgi-nph-socket", STRING, null, true, DOCS + "Protocol.html", null);
        opt(s, "fastcgi-modifier1", NUMBER, "0", false, null, null);
        opt(s, "fastcgi-modifier2", NUMBER, "0", false, null, null);
        opt(s, "scgi-modifier1", NUMBER, "0", false, null, null);
        opt(s, "scgi-modifier2", NUMBER, "0", false, null, null);
        opt(s, "http-socket-modifier1", NUMBER, "0", false, null, null);
        opt(s, "http-socket-modifier2", NUMBER, "0", false, null, null);
        // "-p" is only a command-line shortcut: in a uWSGI config file "p" is a placeholder (strict mode rejects it)
        opt(s, "processes", List.of("workers"), NUMBER, "1", false, null, null);
        opt(s, "threads", NUMBER, "1", false, null, null);
        opt(s, "chdir", STRING, null, false, null, null);
        opt(s, "env", KEY_VALUE, null, true, null, "set an environment variable (NAME=VALUE)");
        opt(s, "jvm-classpath", STRING, null, true, DOCS + "JVM.html", null);
        opt(s, "jvm-opt", STRING, null, true, DOCS + "JVM.html", null);
        opt(s, "jwsgi", STRING, null, false, DOCS + "JWSGI.html", null);
        opt(s, "static-map", MAPPING, null, true, DOCS + "StaticFiles.html",
                "map a mountpoint to a static directory or file (/mount=/path)");
        opt(s, "check-static", List.of("static-check"), STRING, null, true, DOCS + "StaticFiles.html", null);
        opt(s, "static-index", STRING, null, true, DOCS + "StaticFiles.html", null);
        opt(s, "static-safe", STRING, null, true, DOCS + "StaticFiles.html", null);
        opt(s, "mimefile", List.of("mime-file"), STRING, "/etc/mime.types", false, DOCS + "StaticFiles.html",
                "set the mime types file path");
        opt(s, "disable-logging", FLAG, null, false, null, null);
        opt(s, "logto", STRING, null, false, DOCS + "Logging.html", null);
        opt(s, "pidfile", STRING, null, false, null, null);
        opt(s, "vacuum", FLAG, null, false, null, null);
        opt(s, "need-app", FLAG, null, false, null, null);
        opt(s, "reload-mercy", NUMBER, null, false, null,
                "set the maximum time (in seconds) to wait for workers and other processes to die on reload/shutdown");
        opt(s, "worker-reload-mercy", NUMBER, "60", false, null,
                "set the maximum time (in seconds) a worker can take to reload/shutdown");
        opt(s, "buffer-size", NUMBER, "4096", false, null, null);
        opt(s, "limit-post", NUMBER, "0", false, null, "limit request body (bytes, 0 = no limit)");
        opt(s, "socket-timeout", NUMBER, "4", false, null, null);
        opt(s, "harakiri", NUMBER, "0", false, DOCS + "Options.html#harakiri", null);
        opt(s, "add-header", STRING, null, true, null, null);
        opt(s, "touch-reload", STRING, null, true, DOCS + "Management.html#reloading-the-server", null);
        opt(s, "del-header", STRING, null, true, null, null);
        opt(s, "max-requests", NUMBER, "0", false, DOCS + "Options.html#max-requests", null);
        opt(s, "max-requests-delta", NUMBER, "0", false, null,
                "add (worker id - 1) * delta to max-requests, so that workers do not recycle at the same time");
        // uWSGI's help says "default is 60"; its code (core/init.c) sets 10
        opt(s, "min-worker-lifetime", NUMBER, "10", false, null,
                "number of seconds a worker must run before max-requests recycles it (default 10)");
        opt(s, "max-worker-lifetime", NUMBER, "0", false, null, null);
        opt(s, "max-worker-lifetime-delta", NUMBER, "0", false, null, null);
        opt(s, "reload-on-rss", NUMBER, "0", false, null, null);
        opt(s, "evil-reload-on-rss", NUMBER, "0", false, null, null);
        opt(s, "listen", NUMBER, "100", false, null, null);
        opt(s, "strict", FLAG, null, false, DOCS + "Configuration.html#placeholders",
                "enable strict mode (unknown keys are errors; declare placeholders with set-ph)");

        // Master operations: chain reload, master FIFO, harakiri extras, signals.
        opt(s, "touch-chain-reload", STRING, null, true, DOCS + "articles/TheArtOfGracefulReloading.html", null);
        opt(s, "master-fifo", STRING, null, true, DOCS + "MasterFIFO.html", null);
        opt(s, "harakiri-verbose", FLAG, null, false, null, null);
        opt(s, "harakiri-graceful-timeout", NUMBER, "0", false, null,
                "seconds between a graceful harakiri attempt (harakiri-graceful-signal) and the SIGKILL (0 = SIGKILL at"
                        + " once)");
        opt(s, "harakiri-graceful-signal", NUMBER, "15", false, null,
                "the signal number of a graceful harakiri attempt (default 15, SIGTERM; 1, SIGHUP, lets the worker's"
                        + " other requests finish)");

        // Workers: cheaper, idle, threads, attached daemons.
        String cheaperDoc = DOCS + "Cheaper.html";
        opt(s, "cheaper", NUMBER, "0", false, cheaperDoc, null);
        opt(s, "cheaper-initial", NUMBER, null, false, cheaperDoc, null);
        opt(s, "cheaper-step", NUMBER, "1", false, cheaperDoc, null);
        opt(s, "cheaper-overload", NUMBER, "3", false, cheaperDoc, null);
        opt(s, "cheaper-algo", STRING, "spare", false, cheaperDoc,
                "choose the algorithm used for adaptive process spawning (spare, backlog, manual)");
        opt(s, "cheaper-rss-limit-soft", NUMBER, "0", false, cheaperDoc, null);
        opt(s, "cheaper-rss-limit-hard", NUMBER, "0", false, cheaperDoc, null);
        opt(s, "idle", NUMBER, "0", false, null, null);
        opt(s, "die-on-idle", FLAG, null, false, null, null);
        opt(s, "thread-stacksize", List.of("threads-stacksize", "thread-stack-size", "threads-stack-size"), NUMBER,
                "0", false, null, "set the stack size of the worker threads (KiB; platform threads only)");
        String daemonsDoc = DOCS + "AttachingDaemons.html";
        opt(s, "attach-daemon", STRING, null, true, daemonsDoc, null);
        opt(s, "attach-control-daemon", STRING, null, true, daemonsDoc, null);
        opt(s, "smart-attach-daemon", STRING, null, true, daemonsDoc, null);
        opt(s, "smart-attach-daemon2", STRING, null, true, daemonsDoc, null);
        opt(s, "attach-daemon2", STRING, null, true, daemonsDoc, null);
        opt(s, "daemons-honour-stdin", FLAG, null, false, daemonsDoc, null);
        s.add(new Spec("imperium-virtual-threads", List.of(), FLAG, "false", false, SUPPORTED, IMPERIUM_DOC,
                "run requests on virtual threads; false (default): on `threads` platform threads per worker, as uWSGI",
                Category.EXTENSION));

        // Internal routing.
        String routing = DOCS + "InternalRouting.html";
        for (String chain : List.of("", "error-", "response-", "final-")) {
            for (String kind : List.of("", "-host", "-uri", "-qs", "-remote-addr", "-user-agent", "-remote-user",
                    "-referer", "-status", "-label", "-if", "-if-not", "-run")) {
                if (!(chain.isEmpty() && kind.equals("-status"))) {
                    opt(s, chain + "route" + kind, STRING, null, true, routing, null);
                }
            }
        }
        opt(s, "collect-header", STRING, null, true, routing + "#collecting-response-headers", null);
        opt(s, "pull-header", STRING, null, true, routing + "#collecting-response-headers", null);

        // Static files.
        String statics = DOCS + "StaticFiles.html";
        opt(s, "static-map2", MAPPING, null, true, statics,
                "like static-map, but the whole request path is looked up under the path (/mount=/path)");
        opt(s, "static-skip-ext", STRING, null, true, statics, null);
        opt(s, "static-expires-type", KEY_VALUE, null, true, statics,
                "set the Expires header based on content type (MIME/TYPE=SECONDS)");
        opt(s, "static-expires-type-mtime", KEY_VALUE, null, true, statics,
                "set the Expires header based on content type and file mtime (MIME/TYPE=SECONDS)");
        opt(s, "static-expires", STRING, null, true, statics,
                "set the Expires header based on filename regexp (REGEXP SECONDS)");
        opt(s, "static-expires-mtime", STRING, null, true, statics,
                "set the Expires header based on filename regexp and file mtime (REGEXP SECONDS)");
        opt(s, "static-expires-uri", STRING, null, true, statics,
                "set the Expires header based on REQUEST_URI regexp (REGEXP SECONDS)");
        opt(s, "static-expires-uri-mtime", STRING, null, true, statics,
                "set the Expires header based on REQUEST_URI regexp and file mtime (REGEXP SECONDS)");
        opt(s, "static-expires-path-info", STRING, null, true, statics,
                "set the Expires header based on PATH_INFO regexp (REGEXP SECONDS)");
        opt(s, "static-expires-path-info-mtime", STRING, null, true, statics,
                "set the Expires header based on PATH_INFO regexp and file mtime (REGEXP SECONDS)");
        opt(s, "static-gzip", STRING, null, true, statics,
                "serve FILE.br/FILE.gz when the file's real path matches the regexp and the client accepts it");
        opt(s, "static-gzip-all", FLAG, null, false, statics,
                "serve FILE.br/FILE.gz for every static file when it exists and the client accepts it");
        opt(s, "static-gzip-dir", List.of("static-gzip-prefix"), STRING, null, true, statics,
                "serve FILE.br/FILE.gz for static files under the specified dir/prefix");
        opt(s, "static-gzip-ext", List.of("static-gzip-suffix"), STRING, null, true, statics,
                "serve FILE.br/FILE.gz for static files with the specified ext/suffix");
        opt(s, "honour-range", FLAG, "true", false, statics,
                "honour the HTTP Range header for static files (on by default in Imperium; off disables it)");
        opt(s, "file-serve-mode", List.of("fileserve-mode"), STRING, null, false, statics,
                "let the front server send static files: x-sendfile or x-accel-redirect (nginx)");

        // CGI and mounts.
        String cgi = DOCS + "CGI.html";
        opt(s, "cgi", STRING, null, true, cgi, "add a cgi mountpoint/directory/script ([/mount=]path)");
        opt(s, "cgi-helper", List.of("cgi-map-helper"), KEY_VALUE, null, true, cgi,
                "run the scripts whose name ends with .ext with a command (.ext=command)");
        opt(s, "cgi-allowed-ext", STRING, null, true, cgi, null);
        opt(s, "cgi-index", STRING, null, true, cgi, null);
        opt(s, "cgi-timeout", NUMBER, "60", false, cgi,
                "kill a cgi script that neither reads its input nor writes output for this many seconds");
        opt(s, "cgi-buffer-size", NUMBER, "65536", false, cgi, "the largest cgi response head, in bytes");
        opt(s, "cgi-unset", STRING, null, true, cgi, null);
        opt(s, "cgi-safe", STRING, null, true, cgi, null);
        opt(s, "cgi-optimize", List.of("cgi-optimized"), FLAG, null, false, cgi,
                "resolve the cgi paths once at start-up (a missing one is an error)");
        opt(s, "cgi-from-docroot", FLAG, null, false, cgi, null);
        opt(s, "cgi-do-not-kill-on-error", FLAG, null, false, cgi, null);
        builtIn(s, "cgi-close-stdin-on-eof", List.of(), FLAG, "true", false, "close STDIN on input EOF (always:"
                + " a script's input ends with the request body)");
        builtIn(s, "cgi-path-info", List.of(), FLAG, null, false, "disable PATH_INFO management in cgi scripts"
                + " (no effect, as in uWSGI 2.0, which ignores it)");
        opt(s, "mount", STRING, null, true, DOCS + "Nginx.html#hosting-multiple-apps-in-the-same-process-aka-managing"
                + "-script-name-and-path-info", "load an app under a mountpoint (/mount=Class[:method] or a typed-API"
                + " app class)");
        opt(s, "manage-script-name", FLAG, null, false, null, null);
        opt(s, "no-default-app", FLAG, null, false, null, null);

        // Sockets: UNIX permissions, shared and abstract sockets, bodies.
        opt(s, "chmod-socket", List.of("chmod"), STRING, null, false, null,
                "chmod UNIX socket files to this octal mode (660), or 666 with the value 1");
        opt(s, "chown-socket", STRING, null, false, null, "chown UNIX socket files (USER or USER:GROUP)");
        opt(s, "umask", STRING, null, false, null, "set the master's umask (octal, e.g. 022); workers inherit it");
        opt(s, "abstract-socket", FLAG, null, false, null, null);
        opt(s, "shared-socket", STRING, null, true, null, "declare a socket address other socket options refer to"
                + " as =N (N counts from 0)");
        opt(s, "post-buffering", NUMBER, "0", false, null,
                "read the whole request body before the app is called: up to N bytes in memory, beyond on disk");
        opt(s, "body-read-warning", NUMBER, "8", false, null, null);
        opt(s, "uid", STRING, null, false, null, "run workers and routers as this user (name or number)");
        opt(s, "gid", STRING, null, false, null, "run workers and routers with this group (name or number; default:"
                + " the uid's primary group)");
        opt(s, "no-initgroups", FLAG, null, false, null, null);

        // Stats server (issue 6).
        String statsDoc = DOCS + "StatsServer.html";
        opt(s, "stats", List.of("stats-server"), STRING, null, false, statsDoc, null);
        opt(s, "stats-http", FLAG, null, false, statsDoc, null);
        opt(s, "stats-minified", List.of("stats-min"), FLAG, null, false, statsDoc, null);
        opt(s, "stats-no-cores", FLAG, null, false, statsDoc, null);
        opt(s, "stats-no-metrics", FLAG, null, false, statsDoc, "do not include metrics in stats output (they never"
                + " are: Imperium has no uWSGI metrics)");
        // Logging (issue 6).
        String logging = DOCS + "Logging.html";
        opt(s, "logto2", STRING, null, false, logging, "log to the specified file or udp address, the file owned by the"
                + " workers' uid/gid (the master opens it)");
        opt(s, "log-format", List.of("logformat"), STRING, null, false, DOCS + "LogFormat.html", null);
        opt(s, "log-format-strftime", List.of("logformat-strftime"), FLAG, null, false, DOCS + "LogFormat.html",
                "format %(ftime) with the log-date strftime format");
        opt(s, "log-date", List.of("logdate", "log-prefix"), STRING, null, false, logging,
                "prefix log lines with the date (true) or a strftime format");
        opt(s, "log-maxsize", NUMBER, null, false, logging, "rotate the log file once it is larger (bytes)");
        opt(s, "log-backupname", STRING, null, false, logging, null);
        opt(s, "touch-logrotate", STRING, null, true, logging, null);
        opt(s, "touch-logreopen", STRING, null, true, logging, null);
        opt(s, "log-reopen", FLAG, null, false, logging, null);
        opt(s, "log-truncate", FLAG, null, false, logging, null);
        opt(s, "logfile-chown", FLAG, null, false, logging, "chown the log file to the workers' uid/gid");
        opt(s, "logger", STRING, null, true, logging,
                "set/append a logger: file:PATH, syslog[:IDENT[,FACILITY]], rsyslog:HOST:PORT, socket:ADDR, stdio");
        opt(s, "req-logger", List.of("logger-req"), STRING, null, true, logging,
                "set/append a request logger (as logger)");
        opt(s, "log-syslog", STRING, null, false, logging, "log to syslog (IDENT[,FACILITY], or true)");
        opt(s, "log-socket", STRING, null, false, logging, null);
        opt(s, "log-zero", FLAG, null, false, logging, null);
        opt(s, "log-slow", NUMBER, null, false, logging, null);
        opt(s, "log-4xx", FLAG, null, false, logging, null);
        opt(s, "log-5xx", FLAG, null, false, logging, null);
        opt(s, "log-big", NUMBER, null, false, logging, null);
        opt(s, "log-ioerror", FLAG, null, false, logging, "log requests that ended in an I/O error with the client");
        opt(s, "log-micros", FLAG, null, false, logging, null);
        opt(s, "log-x-forwarded-for", FLAG, null, false, logging, null);
        opt(s, "memory-report", FLAG, null, false, logging, null);
        builtIn(s, "log-master", List.of(), FLAG, "true", false, "delegate logging to master process (always: the"
                + " master writes the log)");
        builtIn(s, "threaded-logger", List.of(), FLAG, "true", false, "offload log writing to a thread (always: the"
                + " master writes its workers' lines on threads of their own)");
        s.add(new Spec("imperium-syslog-format", List.of(), STRING, "rfc3164", false, SUPPORTED,
                "vassal-runtime/CONFIG.md#logging", "frame syslog/rsyslog lines as rfc3164 (uWSGI's) or rfc5424",
                Category.EXTENSION));

        // Emperor options (issue 7).
        opt(s, "heartbeat", NUMBER, "0", false, DOCS + "Emperor.html#heartbeat-system",
                "announce healthiness to the emperor every N seconds (the master, while its event loop runs)");

        // Issue 7: broodlord. The lord asks its emperor for zergs; a zerg serves the lord's sockets (CONFIG.md
        // "Broodlord and zergs").
        String brood = DOCS + "Broodlord.html";
        opt(s, "vassal-sos", NUMBER, "0", false, brood, "ask the emperor for reinforcement when every worker is"
                + " busy, at most once every N seconds");
        opt(s, "vassal-sos-backlog", NUMBER, "0", false, brood, "ask the emperor for reinforcement when the TCP"
                + " listen queues hold N connections or more (checked every second)");
        opt(s, "zerg-server", STRING, null, false, DOCS + "Zerg.html", "hand this vassal's listening sockets to any"
                + " zerg connecting to this UNIX socket (a path or @abstract)");
        opt(s, "zerg", STRING, null, true, DOCS + "Zerg.html", "take the sockets from the zerg server on this UNIX"
                + " socket instead of binding them");
        opt(s, "zerg-fallback", FLAG, null, false, DOCS + "Zerg.html", "if a zerg server cannot be reached, start"
                + " with the vassal's own sockets instead of failing");

        // Config files and configuration logic, applied by the loader itself.
        String order = DOCS + "ParsingOrder.html";
        String formats = DOCS + "Configuration.html#loading-configuration-files";
        String placeholders = DOCS + "Configuration.html#placeholders";
        String logic = DOCS + "ConfigLogic.html";
        cfg(s, "include", List.of(), order, null);
        cfg(s, "inherit", List.of(), order, null);
        cfg(s, "ini", List.of(), formats, null);
        cfg(s, "yaml", List.of("yml"), formats, null);
        cfg(s, "json", List.of("js"), formats, null);
        cfg(s, "xml", List.of("xmlconfig"), formats, null);
        cfg(s, "set", List.of(), placeholders, null);
        cfg(s, "set-placeholder", List.of("set-ph"), placeholders, null);
        cfg(s, "declare-option", List.of(), DOCS + "CustomOptions.html", null);
        cfg(s, "declare-option2", List.of(), DOCS + "CustomOptions.html", null);
        cfg(s, "for", List.of(), logic, null);
        cfg(s, "for-glob", List.of(), logic, null);
        cfg(s, "for-times", List.of(), logic, null);
        cfg(s, "for-readline", List.of(), logic, null);
        cfg(s, "endfor", List.of("end-for"), logic, null);
        cfg(s, "if-opt", List.of(), logic, "(opt logic) check for an option, or NAME=VALUE");
        cfg(s, "if-not-opt", List.of(), logic, "(opt logic) check that an option is unset, or not NAME=VALUE");
        cfg(s, "if-env", List.of("ifenv"), logic, "(opt logic) check for an environment variable, or NAME=VALUE");
        cfg(s, "if-not-env", List.of(), logic, "(opt logic) check that an environment variable is unset, or not"
                + " NAME=VALUE");
        cfg(s, "if-reload", List.of(), logic, "(opt logic) check for reload (env IMPERIUM_RELOADS > 0)");
        cfg(s, "if-not-reload", List.of(), logic, "(opt logic) check for no reload (env IMPERIUM_RELOADS unset/0)");
        cfg(s, "if-hostname", List.of(), logic, null);
        cfg(s, "if-not-hostname", List.of(), logic, "(opt logic) check that the hostname differs");
        cfg(s, "if-hostname-match", List.of(), logic, null);
        cfg(s, "if-not-hostname-match", List.of(), logic, "(opt logic) check that the hostname does not match a"
                + " regular expression");
        cfg(s, "if-exists", List.of("ifexists"), logic, null);
        cfg(s, "if-not-exists", List.of(), logic, "(opt logic) check that a file/directory does not exist");
        cfg(s, "if-plugin", List.of("ifplugin"), logic, "(opt logic) check for a plugin (jvm, jwsgi and cgi are"
                + " built in)");
        cfg(s, "if-not-plugin", List.of(), logic, "(opt logic) check that a plugin is not available");
        cfg(s, "if-file", List.of(), logic, "(opt logic) check for a regular file");
        cfg(s, "if-not-file", List.of(), logic, "(opt logic) check that a path is no regular file");
        cfg(s, "if-dir", List.of("ifdir", "if-directory"), logic, "(opt logic) check for a directory");
        cfg(s, "if-not-dir", List.of(), logic, "(opt logic) check that a path is no directory");
        cfg(s, "endif", List.of("end-if"), logic, null);
        cfg(s, "end", List.of(), logic, "(opt logic) end a for/if block (uWSGI accepts it without listing it)");

        // Accepted, without effect: Imperium always behaves this way.
        builtIn(s, "master", List.of(), FLAG, "true", false, "enable master process (always on: every vassal has a"
                + " master)");
        builtIn(s, "enable-threads", List.of(), FLAG, "true", false, "enable threads (always on in a JVM)");
        builtIn(s, "lazy-apps", List.of(), FLAG, "true", false, "load apps in each worker instead of the master"
                + " (always: each worker JVM loads the app itself)");
        builtIn(s, "die-on-term", List.of(), FLAG, "true", false, "exit instead of brutal reload on SIGTERM (always:"
                + " SIGTERM is a graceful stop)");
        builtIn(s, "plugins", List.of("plugin"), STRING, null, true, "load uWSGI plugins (only jvm, jwsgi and cgi,"
                + " which are built in)");
        builtIn(s, "need-plugins", List.of("need-plugin"), STRING, null, true, "load uWSGI plugins, exit on error"
                + " (only jvm, jwsgi and cgi, which are built in)");
        builtIn(s, "plugins-dir", List.of("plugin-dir"), STRING, null, true, "add a directory to the plugin search"
                + " path (no effect: plugins are built in)");

        // Imperium's own options.
        s.add(new Spec("imperium-allow-root", List.of(), FLAG, "false", false, SUPPORTED, IMPERIUM_DOC,
                "let workers run as root when the vassal runs as root without uid (refused otherwise)",
                Category.EXTENSION));
        s.add(new Spec("imperium-app", List.of(), STRING, null, false, SUPPORTED, IMPERIUM_DOC,
                "load the typed-API application class (fully qualified class name)", Category.EXTENSION));

        // Issue 7: foreign vassals. Read by the emperor, which runs such a file with another program
        // (emperor/README.md "Foreign vassals"); bin/vassal itself runs only imperium-runtime = imperium.
        s.add(new Spec("imperium-runtime", List.of(), STRING, "imperium", false, SUPPORTED, IMPERIUM_DOC,
                "what the emperor runs this file with: imperium (bin/vassal), uwsgi (the uWSGI binary) or command"
                        + " (imperium-command, with the sockets passed as LISTEN_FDS)", Category.EXTENSION));
        s.add(new Spec("imperium-command", List.of(), STRING, null, false, SUPPORTED, IMPERIUM_DOC,
                "the command line of an imperium-runtime = command vassal (words split as by a shell, no expansion)",
                Category.EXTENSION));
        s.add(new Spec("imperium-ready", List.of(), STRING, "exec", false, SUPPORTED, IMPERIUM_DOC,
                "when a command vassal counts as ready: exec (once the command runs) or notify (when it sends"
                        + " READY=1 to NOTIFY_SOCKET)", Category.EXTENSION));

        // Issue 8: request framing (smuggling).

        // Issue 8: slow clients (header/body timeouts, connection limits).
        opt(s, "http-headers-timeout", NUMBER, null, false, DOCS + "HTTP.html",
                "seconds the http router gives a client to send a whole request head (default: http-timeout)");
        s.add(new Spec("imperium-max-connections", List.of(), NUMBER, "1000", false, SUPPORTED, IMPERIUM_DOC,
                "the most client connections each worker (and each http router process) holds at once; further"
                        + " clients wait in the listen queue", Category.EXTENSION));

        // Issue 8: chaos (master and emperor loss).
        s.add(new Spec("imperium-emperor-sockets", List.of(), FLAG, "true", false, SUPPORTED, IMPERIUM_DOC,
                "give the emperor a copy of the listening sockets: a master respawned after a crash takes them back,"
                        + " so clients wait instead of being refused (false: uWSGI's behaviour)", Category.EXTENSION));
        s.add(new Spec("imperium-emperor-grace", List.of(), NUMBER, "30", false, SUPPORTED, IMPERIUM_DOC,
                "seconds the vassal keeps serving after its emperor died, for a new emperor to take it over (0: stop"
                        + " at once and die with the emperor, uWSGI's behaviour)", Category.EXTENSION));

        // Issue 8: resource limits.
        return List.copyOf(s);
    }

    private static void opt(List<Spec> s, String name, OptionType type, String def, boolean repeatable, String doc,
            String help) {
        opt(s, name, List.of(), type, def, repeatable, doc, help);
    }

    private static void opt(List<Spec> s, String name, List<String> aliases, OptionType type, String def,
            boolean repeatable, String doc, String help) {
        s.add(new Spec(name, aliases, type, def, repeatable, SUPPORTED, doc == null ? optionsPage(name) : doc, help,
                Category.OPTION));
    }

    private static void cfg(List<Spec> s, String name, List<String> aliases, String doc, String help) {
        s.add(new Spec(name, aliases, STRING, null, true, SUPPORTED, doc, help, Category.CONFIG));
    }

    private static void builtIn(List<Spec> s, String name, List<String> aliases, OptionType type, String def,
            boolean repeatable, String help) {
        s.add(new Spec(name, aliases, type, def, repeatable, BUILT_IN, optionsPage(name), help, Category.BUILT_IN));
    }
}
