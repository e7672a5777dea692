package dev.imperium.http;

/** The four forms of a request-target (RFC 9112 §3.2). */
public enum TargetForm {
    /** {@code /path?query}, the usual form (§3.2.1). */
    ORIGIN,
    /** {@code http://host/path?query}, sent to proxies; a server must accept it too (§3.2.2). */
    ABSOLUTE,
    /** {@code host:port}, only with {@code CONNECT} (§3.2.3). */
    AUTHORITY,
    /** {@code *}, only with {@code OPTIONS} (§3.2.4). */
    ASTERISK
}
