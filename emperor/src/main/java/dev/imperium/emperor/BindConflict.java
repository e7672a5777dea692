package dev.imperium.emperor;

import dev.imperium.vassal.SocketSpec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 8: resource limits. A vassal that could not start because another process holds one of its addresses
 * (EADDRINUSE), read from the FATAL it reported: the master's words are
 * {@code unable to bind ADDRESS: bind: Address already in use (errno 98)} ({@code ListenSocket.bind}).
 *
 * <p>Only a TCP address or an abstract UNIX name can be in use: a UNIX socket file is replaced at bind, as in
 * uWSGI. uWSGI's emperor has no such notion (it respawns with its throttle); here the emperor also watches the
 * address so that the vassal is respawned as soon as it is free.
 *
 * @param address the address as the vassal file gives it, e.g. {@code 127.0.0.1:8080} or {@code @name}
 * @param spec the address parsed
 */
record BindConflict(String address, SocketSpec spec) {
    /** Linux's EADDRINUSE. */
    static final int EADDRINUSE = 98;

    private static final Pattern FATAL = Pattern.compile(
            "unable to bind (\\S+): bind: [^()]*\\(errno " + EADDRINUSE + "\\)");

    /**
     * Reads a vassal's FATAL text.
     *
     * @param fatal the text, or null
     * @return the address in use, or empty if the text is not a bind failure on a TCP address or abstract name
     */
    static Optional<BindConflict> of(String fatal) {
        if (fatal == null) {
            return Optional.empty();
        }
        Matcher m = FATAL.matcher(fatal);
        if (!m.find()) {
            return Optional.empty();
        }
        String address = m.group(1);
        SocketSpec spec;
        try {
            spec = SocketSpec.parse(address);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (spec.sharedIndex() >= 0 || (spec.isUnix() && !spec.isAbstract())) {
            return Optional.empty();
        }
        return Optional.of(new BindConflict(address, spec));
    }
}
