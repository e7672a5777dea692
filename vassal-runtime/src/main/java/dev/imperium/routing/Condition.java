package dev.imperium.routing;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The conditions of {@code route-if} and {@code route-if-not}, {@code COND:SUBJECT[;PATTERN]} (uwsgi-docs
 * "InternalRouting"; uWSGI 2.0 {@code core/routing.c} {@code uwsgi_route_condition_*}). Conditions with two operands
 * split them at the first {@code ;}. Both operands are {@link Template}s; a relative path is resolved against the
 * worker's directory ({@code chdir}).
 */
public enum Condition {
    /** The path exists and the worker may read it ({@code access(R_OK)}, as uWSGI checks). */
    EXISTS(1, "exists"),
    /** The path is a regular file (symbolic links followed). */
    ISFILE(1, "isfile"),
    /** The path is a directory (symbolic links followed). */
    ISDIR(1, "isdir"),
    /** The path is a symbolic link. */
    ISLINK(1, "islink"),
    /** The path is executable by the worker. */
    ISEXEC(1, "isexec"),
    /** The operand is empty. */
    EMPTY(1, "empty"),
    /** Both operands are the same text. */
    EQUAL(2, "equal", "isequal", "eq", "=="),
    /** The first operand starts with the second. */
    STARTSWITH(2, "startswith"),
    /** The first operand ends with the second. */
    ENDSWITH(2, "endswith"),
    /** The first operand contains the second. */
    CONTAINS(2, "contains", "contain"),
    /** The first operand matches the regular expression after the {@code ;}; its groups are {@code $1}... */
    REGEXP(2, "regexp", "re"),
    /** Numbers (read as C's {@code strtol}): first &gt; second. */
    ISHIGHER(2, "ishigher", ">"),
    /** Numbers: first &gt;= second. */
    ISHIGHEREQUAL(2, "ishigherequal", ">="),
    /** Numbers: first &lt; second. */
    ISLOWER(2, "islower", "<"),
    /** Numbers: first &lt;= second. */
    ISLOWEREQUAL(2, "islowerequal", "<="),
    /** The IPv4 address is in the network {@code ADDR[/BITS]}. */
    IPV4IN(2, "ipv4in"),
    /** The IPv6 address is in the network {@code ADDR[/BITS]}. */
    IPV6IN(2, "ipv6in");

    private final int operands;
    private final List<String> names;

    Condition(int operands, String... names) {
        this.operands = operands;
        this.names = List.of(names);
    }

    /** Returns the condition called {@code name} (any of uWSGI's aliases), or null. */
    public static Condition named(String name) {
        for (Condition c : values()) {
            if (c.names.contains(name)) {
                return c;
            }
        }
        return null;
    }

    /** Returns the name uWSGI's routing table dump uses. */
    public String canonicalName() {
        return names.getFirst();
    }

    /** Returns 1 for a condition on one operand, 2 for {@code SUBJECT;PATTERN}. */
    public int operands() {
        return operands;
    }

    /**
     * Evaluates the condition on expanded operands ({@link #REGEXP} is evaluated by the engine, which keeps the
     * match for the action).
     *
     * @param left the first operand
     * @param right the second operand, or null for one-operand conditions
     * @return whether it holds
     */
    public boolean test(String left, String right) {
        return switch (this) {
            case EXISTS -> isFile(left, Files::isReadable);
            case ISFILE -> isFile(left, Files::isRegularFile);
            case ISDIR -> isFile(left, Files::isDirectory);
            case ISLINK -> isFile(left, Files::isSymbolicLink);
            case ISEXEC -> isFile(left, Files::isExecutable);
            case EMPTY -> left.isEmpty();
            case EQUAL -> left.equals(right);
            case STARTSWITH -> left.startsWith(right);
            case ENDSWITH -> left.endsWith(right);
            case CONTAINS -> left.contains(right);
            case REGEXP -> throw new IllegalStateException("regexp is matched by the engine");
            case ISHIGHER -> RouteVars.strtol(left) > RouteVars.strtol(right);
            case ISHIGHEREQUAL -> RouteVars.strtol(left) >= RouteVars.strtol(right);
            case ISLOWER -> RouteVars.strtol(left) < RouteVars.strtol(right);
            case ISLOWEREQUAL -> RouteVars.strtol(left) <= RouteVars.strtol(right);
            case IPV4IN -> inNetwork(left, right, 32);
            case IPV6IN -> inNetwork(left, right, 128);
        };
    }

    /**
     * Returns true if {@code address} is in {@code network} ({@code ADDR} or {@code ADDR/BITS}), both literal
     * addresses of the family {@code bits} says (32: IPv4, 128: IPv6). Anything unparsable is false. No name is
     * looked up.
     */
    static boolean inNetwork(String address, String network, int bits) {
        int slash = network.indexOf('/');
        int prefix = bits;
        String net = network;
        if (slash >= 0) {
            net = network.substring(0, slash);
            try {
                prefix = Integer.parseInt(network.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (prefix < 0 || prefix > bits) {
            return false;
        }
        byte[] a = literal(address.strip(), bits);
        byte[] n = literal(net.strip(), bits);
        if (a == null || n == null) {
            return false;
        }
        for (int i = 0; i < a.length && prefix > 0; i++, prefix -= 8) {
            int mask = prefix >= 8 ? 0xFF : (0xFF << (8 - prefix)) & 0xFF;
            if ((a[i] & mask) != (n[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] literal(String text, int bits) {
        try {
            InetAddress address = bits == 32 ? Inet4Address.ofLiteral(text) : Inet6Address.ofLiteral(text);
            byte[] bytes = address.getAddress();
            if (bits == 128 && bytes.length == 4) {
                // ::ffff:a.b.c.d comes back as IPv4; compare it as the IPv6 address inet_pton(3) gives
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes.length == bits / 8 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Tests the file {@code name} names: an empty name names nothing (C's access("") fails), and so does a name no
     * file can have (a NUL byte, which a request's vars may carry), rather than throwing.
     */
    private static boolean isFile(String name, java.util.function.Predicate<Path> test) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            return false;
        }
        try {
            return test.test(Path.of(name));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
