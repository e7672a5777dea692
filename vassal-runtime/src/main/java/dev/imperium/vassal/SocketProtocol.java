package dev.imperium.vassal;

import java.util.Locale;

/**
 * The protocol a vassal socket speaks, by the option that declared it (uwsgi-docs "Options"; {@code core/socket.c}).
 */
public enum SocketProtocol {
    /** {@code http-socket}: HTTP/1.1 from clients or a proxy. */
    HTTP("http-socket"),
    /** {@code socket} / {@code uwsgi-socket}: the uwsgi protocol, e.g. from nginx's {@code uwsgi_pass}. */
    UWSGI("socket", "uwsgi-socket"),
    /** {@code fastcgi-socket}: FastCGI 1.0, e.g. from nginx's {@code fastcgi_pass}. */
    FASTCGI("fastcgi-socket"),
    /** {@code scgi-socket}: SCGI, e.g. from nginx's {@code scgi_pass}. */
    SCGI("scgi-socket"),
    /** {@code fastcgi-nph-socket}: FastCGI answered with a raw HTTP status-line instead of {@code Status:}. */
    FASTCGI_NPH("fastcgi-nph-socket"),
    /** {@code scgi-nph-socket}: SCGI answered with a raw HTTP status-line instead of {@code Status:}. */
    SCGI_NPH("scgi-nph-socket");

    private final String[] options;

    SocketProtocol(String... options) {
        this.options = options;
    }

    /** Returns the options that declare a socket of this protocol. */
    public String[] options() {
        return options.clone();
    }

    /**
     * Returns the protocol's name as the worker's environment carries it: {@code http}, {@code uwsgi},
     * {@code fastcgi}, {@code scgi}, {@code fastcgi_nph}, {@code scgi_nph}.
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the protocol a socket option declares, or null if {@code option} declares no socket.
     *
     * @param option a canonical option name, e.g. {@code uwsgi-socket}
     */
    public static SocketProtocol forOption(String option) {
        for (SocketProtocol p : values()) {
            for (String o : p.options) {
                if (o.equals(option)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Returns the protocol with the given {@link #wireName()}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static SocketProtocol fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
