package dev.imperium.jwsgi;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Writes an IP address the way {@code inet_ntop(3)} does, as uWSGI's {@code REMOTE_ADDR}: IPv4 dotted, IPv6 in the
 * RFC 5952 form ({@code ::1}, not Java's {@code 0:0:0:0:0:0:0:1}), IPv4-mapped IPv6 as plain IPv4.
 */
public final class IpText {
    private IpText() {
    }

    /**
     * Returns the canonical text of an address literal, or the input unchanged if it is not one (e.g. {@code ""}
     * on a UNIX socket). Never does a DNS lookup.
     */
    public static String canonical(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? "" : address;
        }
        int percent = address.indexOf('%');
        String literal = percent >= 0 ? address.substring(0, percent) : address;
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            return address;
        }
        return parsed instanceof Inet4Address ? parsed.getHostAddress() : ipv6(parsed.getAddress());
    }

    private static String ipv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
