package dev.imperium.emperor.pgsql;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The argument of uWSGI's PostgreSQL imperial monitor, {@code --emperor 'pg://CONNINFO;QUERY'} (also spelt
 * {@code pgsql://}; uWSGI 2.0 {@code plugins/emperor_pg/emperor_pg.c}): a libpq connection string, then after the first
 * {@code ;} the query that lists the vassals. Without a query, uWSGI's: {@code SELECT name,config,EXTRACT(epoch FROM
 * ts) FROM vassals}.
 *
 * <p>The connection string is libpq's (PostgreSQL manual, "Connection Strings"): {@code keyword=value} pairs separated
 * by spaces, a value in single quotes when it holds spaces ({@code \'} and {@code \\} inside), or a URI
 * {@code postgresql://user:password@host:port/dbname?param=value}. The keywords read are {@code host}, {@code hostaddr},
 * {@code port}, {@code dbname}, {@code user}, {@code password}, {@code connect_timeout}, {@code sslmode},
 * {@code application_name} and {@code options}; libpq's environment variables ({@code PGHOST}, {@code PGPORT},
 * {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}) fill what the string leaves out. A host starting with
 * {@code /} is a directory holding the server's UNIX socket ({@code .s.PGSQL.PORT}), as in libpq; without any host,
 * {@code /var/run/postgresql} (Debian's, libpq's default there) when it exists, else {@code localhost}.
 *
 * @param spec the argument as given (with its password: never log it, use {@link #describe()})
 * @param settings the connection keywords, libpq's names, the environment's defaults applied
 * @param query the SQL query
 */
public record PgsqlSource(String spec, Map<String, String> settings, String query) {
    /** uWSGI's query when the argument has none. */
    public static final String DEFAULT_QUERY = "SELECT name,config,EXTRACT(epoch FROM ts) FROM vassals";
    /** The schemes of this monitor: uWSGI's {@code pg://}, and {@code pgsql://}. */
    public static final Set<String> SCHEMES = Set.of("pg", "pgsql");
    private static final Set<String> KEYWORDS = Set.of("host", "hostaddr", "port", "dbname", "user", "password",
            "connect_timeout", "sslmode", "application_name", "options");
    private static final String DEFAULT_SOCKET_DIR = "/var/run/postgresql";

    /** Copies the settings. */
    public PgsqlSource {
        settings = Map.copyOf(settings);
    }

    /**
     * Reads {@code pg://CONNINFO;QUERY} or {@code pgsql://CONNINFO;QUERY}.
     *
     * @param spec the argument of {@code --emperor}
     * @param env the environment ({@code PGHOST}...)
     * @return the source
     * @throws IllegalArgumentException for another scheme, an unknown keyword, a malformed string or port
     */
    public static PgsqlSource parse(String spec, Map<String, String> env) {
        int colon = spec.indexOf("://");
        if (colon < 0 || !SCHEMES.contains(spec.substring(0, colon))) {
            throw new IllegalArgumentException("not a PostgreSQL monitor: " + spec);
        }
        String rest = spec.substring(colon + 3);
        String conninfo = rest;
        String query = DEFAULT_QUERY;
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            conninfo = rest.substring(0, semicolon);
            query = rest.substring(semicolon + 1).trim();
            if (query.isEmpty()) {
                throw new IllegalArgumentException("the PostgreSQL monitor's query after ';' is empty");
            }
        }
        Map<String, String> settings = conninfo.startsWith("postgresql://") || conninfo.startsWith("postgres://")
                ? parseUri(conninfo) : parseKeywords(conninfo);
        defaultFrom(settings, "host", env.get("PGHOST"));
        defaultFrom(settings, "port", env.get("PGPORT"));
        defaultFrom(settings, "dbname", env.get("PGDATABASE"));
        defaultFrom(settings, "user", env.get("PGUSER"));
        defaultFrom(settings, "password", env.get("PGPASSWORD"));
        String port = settings.get("port");
        if (port != null && !port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("invalid port number: \"" + port + "\"");
        }
        String timeout = settings.get("connect_timeout");
        if (timeout != null && !timeout.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException("invalid connect_timeout: \"" + timeout + "\"");
        }
        return new PgsqlSource(spec, settings, query);
    }

    private static void defaultFrom(Map<String, String> settings, String key, String value) {
        if (!settings.containsKey(key) && value != null && !value.isEmpty()) {
            settings.put(key, value);
        }
    }

    /** Reads libpq's {@code keyword = value} form. */
    static Map<String, String> parseKeywords(String conninfo) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = conninfo.length();
        while (true) {
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int start = i;
            while (i < n && conninfo.charAt(i) != '=' && !Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            String key = conninfo.substring(start, i);
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            if (i >= n || conninfo.charAt(i) != '=') {
                throw new IllegalArgumentException("missing \"=\" after \"" + key + "\" in connection info string");
            }
            i++;
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && conninfo.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = conninfo.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(conninfo.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted string in connection info string");
                }
            } else {
                while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
                    char c = conninfo.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = conninfo.charAt(i++);
                    }
                    value.append(c);
                }
            }
            put(out, key, value.toString());
        }
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (!KEYWORDS.contains(key)) {
            throw new IllegalArgumentException("invalid connection option \"" + key + "\" (Imperium reads "
                    + String.join(", ", new java.util.TreeSet<>(KEYWORDS)) + ")");
        }
        out.put(key, value);
    }

    /** Reads the URI form, {@code postgresql://user:password@host:port/dbname?key=value&...}. */
    static Map<String, String> parseUri(String conninfo) {
        URI uri;
        try {
            uri = new URI(conninfo);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URI in connection info string: " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int c = userInfo.indexOf(':');
            put(out, "user", decode(c < 0 ? userInfo : userInfo.substring(0, c)));
            if (c >= 0) {
                put(out, "password", decode(userInfo.substring(c + 1)));
            }
        }
        if (uri.getHost() != null) {
            put(out, "host", uri.getHost());
        }
        if (uri.getPort() >= 0) {
            put(out, "port", Integer.toString(uri.getPort()));
        }
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            put(out, "dbname", decode(path.substring(1)));
        }
        String q = uri.getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("missing \"=\" in URI query parameter \"" + pair + "\"");
                }
                put(out, decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Returns the host as libpq would use it: hostaddr, host, else the default socket directory or localhost. */
    String host() {
        String host = settings.get("hostaddr");
        if (host == null || host.isEmpty()) {
            host = settings.get("host");
        }
        if (host == null || host.isEmpty()) {
            host = Files.isDirectory(Path.of(DEFAULT_SOCKET_DIR)) ? DEFAULT_SOCKET_DIR : "localhost";
        }
        return host;
    }

    /** Returns the port, 5432 by default. */
    int port() {
        String p = settings.get("port");
        return p == null || p.isEmpty() ? 5432 : Integer.parseInt(p);
    }

    /** Returns the database name: {@code dbname}, else the user name, as libpq. */
    String database() {
        String db = settings.get("dbname");
        if (db == null || db.isEmpty()) {
            db = settings.getOrDefault("user", System.getProperty("user.name"));
        }
        return db;
    }

    /** Returns whether the host is a UNIX socket directory. */
    boolean unixSocket() {
        return host().startsWith("/");
    }

    /** Returns the JDBC URL of pgjdbc for this source (the host part is ignored for a UNIX socket). */
    public String jdbcUrl() {
        String host = unixSocket() ? "localhost" : host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 address
        }
        return "jdbc:postgresql://" + host + ":" + port() + "/" + URLEncoderPath.encode(database());
    }

    /**
     * Returns pgjdbc's connection properties: the user, password, SSL mode, application name, options, the connect
     * timeout ({@code connect_timeout}, else {@code defaultTimeoutSeconds}) also as the socket's read timeout, and for
     * a UNIX socket junixsocket's socket factory.
     *
     * @param defaultTimeoutSeconds the connect and read timeout when the string sets none
     */
    public Properties jdbcProperties(int defaultTimeoutSeconds) {
        Properties p = new Properties();
        String user = settings.getOrDefault("user", System.getProperty("user.name"));
        p.setProperty("user", user);
        if (settings.containsKey("password")) {
            p.setProperty("password", settings.get("password"));
        }
        if (settings.containsKey("sslmode")) {
            p.setProperty("sslmode", settings.get("sslmode"));
        }
        p.setProperty("ApplicationName", settings.getOrDefault("application_name", "imperium-emperor"));
        if (settings.containsKey("options")) {
            p.setProperty("options", settings.get("options"));
        }
        String timeout = settings.get("connect_timeout");
        int seconds = timeout == null || timeout.equals("0") ? defaultTimeoutSeconds : Integer.parseInt(timeout);
        p.setProperty("connectTimeout", Integer.toString(seconds));
        p.setProperty("loginTimeout", Integer.toString(seconds));
        p.setProperty("socketTimeout", Integer.toString(Math.max(seconds, 1) * 2));
        if (unixSocket()) {
            p.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
            p.setProperty("socketFactoryArg", host() + "/.s.PGSQL." + port());
            p.setProperty("sslmode", "disable");
        }
        return p;
    }

    /** Describes the source for log lines, without its password: {@code 127.0.0.1:5432/imperium as emperor}. */
    public String describe() {
        return host() + (unixSocket() ? "/.s.PGSQL." + port() : ":" + port()) + " database " + database() + " as "
                + settings.getOrDefault("user", System.getProperty("user.name"));
    }

    /** Percent-encodes a database name for the URL path. */
    private static final class URLEncoderPath {
        static String encode(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    @Override
    public String toString() {
        return "PgsqlSource[" + describe() + ", query=" + query + "]";
    }
}
