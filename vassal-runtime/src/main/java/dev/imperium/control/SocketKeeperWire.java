package dev.imperium.control;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Issue 8: chaos. The messages of the emperor's socket keeper (emperor/README.md "What a SIGKILL costs"): one
 * {@code SCM_RIGHTS} message per connection, whose data is one line of UTF-8 text.
 *
 * <ul>
 *   <li>{@code PUT TOKEN}, with the vassal master's listening sockets: keep these (they replace any kept before).</li>
 *   <li>{@code GET TOKEN}, no descriptors: a starting master asks for the sockets kept for its vassal; the answer is
 *       {@code KEPT N} with N descriptors, or {@code NONE}.</li>
 *   <li>{@code ORPHAN PID FILE}, with its sockets: what a vassal master that lost its emperor hands to the next
 *       emperor ({@code FILE}: the vassal file's absolute path, the rest of the line).</li>
 * </ul>
 * A token is the vassal's {@code IMPERIUM_VASSAL_TOKEN}: it names the vassal and proves the sender is its master.
 */
public final class SocketKeeperWire {
    /** The most data bytes a message carries. */
    public static final int MAX_DATA = 4096;

    /** What a message asks or says. */
    public enum Verb {
        /** Keep the sockets sent. */
        PUT,
        /** Send the sockets kept. */
        GET,
        /** The answer to GET: the sockets follow. */
        KEPT,
        /** The answer to GET: nothing kept. */
        NONE,
        /** An orphaned master's sockets. */
        ORPHAN
    }

    /**
     * One decoded message.
     *
     * @param verb what it asks or says
     * @param token the vassal's token (PUT, GET), or "" otherwise
     * @param count the descriptors announced (KEPT), else 0
     * @param pid the orphan's pid (ORPHAN), else 0
     * @param file the orphan's vassal file (ORPHAN), else ""
     */
    public record Message(Verb verb, String token, int count, long pid, String file) {
    }

    private SocketKeeperWire() {
    }

    /** Encodes {@code PUT token} or {@code GET token}. */
    public static byte[] request(Verb verb, String token) {
        if (verb != Verb.PUT && verb != Verb.GET) {
            throw new IllegalArgumentException("not a request: " + verb);
        }
        requireWord(token);
        return line(verb + " " + token);
    }

    /** Encodes the answer to a GET: {@code KEPT n}, or {@code NONE} when {@code count} is 0. */
    public static byte[] answer(int count) {
        return line(count > 0 ? "KEPT " + count : "NONE");
    }

    /** Encodes {@code ORPHAN pid file}. */
    public static byte[] orphan(long pid, String file) {
        if (pid <= 0 || file.isEmpty() || file.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("bad orphan offer: " + pid + " " + file);
        }
        return line("ORPHAN " + pid + " " + file);
    }

    /**
     * Decodes a message.
     *
     * @param data the bytes received
     * @return the message
     * @throws IllegalArgumentException if it is none of the messages above
     */
    public static Message decode(byte[] data) {
        if (data.length == 0 || data.length > MAX_DATA || data[data.length - 1] != '\n') {
            throw new IllegalArgumentException("socket keeper: incomplete or oversized message (" + data.length
                    + " bytes)");
        }
        String text = new String(data, 0, data.length - 1, StandardCharsets.UTF_8);
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("socket keeper: more than one line");
        }
        int space = text.indexOf(' ');
        String head = space < 0 ? text : text.substring(0, space);
        String rest = space < 0 ? "" : text.substring(space + 1);
        Verb verb;
        try {
            verb = Verb.valueOf(head);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("socket keeper: unknown message " + quote(head));
        }
        if (!head.equals(head.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("socket keeper: unknown message " + quote(head));
        }
        return switch (verb) {
            case PUT, GET -> {
                requireWord(rest);
                yield new Message(verb, rest, 0, 0, "");
            }
            case KEPT -> new Message(verb, "", positive(rest, 250), 0, "");
            case NONE -> {
                if (!rest.isEmpty() || space >= 0) {
                    throw new IllegalArgumentException("socket keeper: NONE takes nothing");
                }
                yield new Message(verb, "", 0, 0, "");
            }
            case ORPHAN -> {
                int sep = rest.indexOf(' ');
                if (sep <= 0 || sep == rest.length() - 1) {
                    throw new IllegalArgumentException("socket keeper: ORPHAN needs a pid and a file");
                }
                yield new Message(verb, "", 0, positive(rest.substring(0, sep), Integer.MAX_VALUE),
                        rest.substring(sep + 1));
            }
        };
    }

    private static int positive(String text, int max) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("socket keeper: not a number: " + quote(text));
        }
        long n = Long.parseLong(text);
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("socket keeper: out of range: " + n);
        }
        return (int) n;
    }

    private static void requireWord(String token) {
        if (token.isEmpty() || token.length() > 256 || !token.chars().allMatch(c -> c > ' ' && c < 0x7F)) {
            throw new IllegalArgumentException("socket keeper: bad token");
        }
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
