package dev.imperium.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MD5-based {@code crypt(3)} of FreeBSD and glibc ({@code $1$}) and its Apache variant ({@code $apr1$}, what
 * {@code htpasswd -m} writes): 1000 rounds of MD5 over the password and a salt of up to 8 characters, written in
 * crypt's base-64 alphabet. Stateless and thread-safe.
 */
final class Md5Crypt {
    private static final String ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Md5Crypt() {
    }

    /** Returns true if {@code hash} starts with a prefix this class computes. */
    static boolean handles(String hash) {
        return hash.startsWith("$1$") || hash.startsWith("$apr1$");
    }

    /**
     * Returns true if {@code password} hashes to {@code hash} ({@code $1$salt$...} or {@code $apr1$salt$...}).
     *
     * @param password the password, as UTF-8 bytes
     * @param hash the stored hash
     */
    static boolean verify(byte[] password, String hash) {
        String magic = hash.startsWith("$apr1$") ? "$apr1$" : hash.startsWith("$1$") ? "$1$" : null;
        if (magic == null) {
            return false;
        }
        int end = hash.indexOf('$', magic.length());
        if (end < 0) {
            return false;
        }
        String salt = hash.substring(magic.length(), Math.min(end, magic.length() + 8));
        return MessageDigest.isEqual(crypt(password, magic, salt).getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Computes the hash.
     *
     * @param password the password bytes
     * @param magic {@code $1$} or {@code $apr1$}
     * @param salt up to 8 characters
     * @return {@code magic + salt + "$" + 22 characters}
     */
    static String crypt(byte[] password, String magic, String salt) {
        byte[] saltBytes = salt.getBytes(StandardCharsets.US_ASCII);
        MessageDigest md = md5();
        md.update(password);
        md.update(magic.getBytes(StandardCharsets.US_ASCII));
        md.update(saltBytes);

        MessageDigest alt = md5();
        alt.update(password);
        alt.update(saltBytes);
        alt.update(password);
        byte[] altSum = alt.digest();
        for (int left = password.length; left > 0; left -= 16) {
            md.update(altSum, 0, Math.min(left, 16));
        }
        for (int i = password.length; i != 0; i >>>= 1) {
            if ((i & 1) != 0) {
                md.update((byte) 0);
            } else {
                md.update(password.length > 0 ? password[0] : 0);
            }
        }
        byte[] sum = md.digest();
        for (int round = 0; round < 1000; round++) {
            MessageDigest r = md5();
            if ((round & 1) != 0) {
                r.update(password);
            } else {
                r.update(sum);
            }
            if (round % 3 != 0) {
                r.update(saltBytes);
            }
            if (round % 7 != 0) {
                r.update(password);
            }
            if ((round & 1) != 0) {
                r.update(sum);
            } else {
                r.update(password);
            }
            sum = r.digest();
        }
        StringBuilder out = new StringBuilder(magic.length() + salt.length() + 23).append(magic).append(salt)
                .append('$');
        encode(out, sum[0], sum[6], sum[12], 4);
        encode(out, sum[1], sum[7], sum[13], 4);
        encode(out, sum[2], sum[8], sum[14], 4);
        encode(out, sum[3], sum[9], sum[15], 4);
        encode(out, sum[4], sum[10], sum[5], 4);
        encode(out, (byte) 0, (byte) 0, sum[11], 2);
        return out.toString();
    }

    private static void encode(StringBuilder out, byte b2, byte b1, byte b0, int chars) {
        int v = (b2 & 0xFF) << 16 | (b1 & 0xFF) << 8 | (b0 & 0xFF);
        for (int i = 0; i < chars; i++) {
            out.append(ALPHABET.charAt(v & 0x3F));
            v >>>= 6;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
