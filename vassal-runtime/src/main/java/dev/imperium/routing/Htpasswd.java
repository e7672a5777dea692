package dev.imperium.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Checks a user and password against an htpasswd file ({@code user:hash} lines, as Apache's {@code htpasswd}
 * writes them), for {@code basicauth:REALM,FILE}. The file is read again when its modification time or size
 * changes, so users can be added without a reload (uWSGI reads it on every request).
 *
 * <p>Hashes: {@code {SHA}} (base64 SHA-1, {@code htpasswd -s}), {@code $apr1$} and {@code $1$} (MD5 crypt,
 * {@code htpasswd -m}), and plain text. Not supported, so such a line never matches and is reported once:
 * bcrypt ({@code $2y$}, {@code htpasswd -B}), SHA-256/512 crypt ({@code $5$}, {@code $6$}) and DES
 * {@code crypt(3)} ({@code htpasswd -d}: 13 characters of crypt's alphabet), which uWSGI checks with the C library's
 * {@code crypt(3)}. Thread-safe.
 */
final class Htpasswd {
    private record Entry(String user, String hash, int line) {
    }

    private record Snapshot(FileTime modified, long size, List<Entry> entries) {
    }

    private final ConcurrentHashMap<Path, Snapshot> files = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Consumer<String> log;

    /** @param log where unreadable files and unsupported hashes are reported, once each */
    Htpasswd(Consumer<String> log) {
        this.log = log;
    }

    /**
     * Returns true if {@code file} has a line for {@code user} whose hash matches {@code password}.
     *
     * @param file the htpasswd file
     * @param user the user name
     * @param password the password
     */
    boolean check(Path file, String user, String password) {
        Snapshot snapshot = load(file);
        if (snapshot == null) {
            return false;
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        for (Entry e : snapshot.entries) {
            if (e.user.equals(user)) {
                if (matches(pw, e.hash)) {
                    return true;
                }
                if (!supported(e.hash) && reported.add(file + ":" + e.line)) {
                    log.accept("[uwsgi-route] " + file + ":" + e.line + ": unsupported password hash for user '"
                            + user + "' (Imperium checks {SHA}, $apr1$, $1$ and plain text; not bcrypt, $5$, $6$ or"
                            + " DES crypt)");
                }
            }
        }
        return false;
    }

    /** Returns true if {@code hash} is in a format this class can check. */
    static boolean supported(String hash) {
        return hash.startsWith("{SHA}") || Md5Crypt.handles(hash) || isPlain(hash);
    }

    /** Checks a password against one stored hash. */
    static boolean matches(byte[] password, String hash) {
        if (hash.startsWith("{SHA}")) {
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(hash.substring(5));
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(sha1(password), expected);
        }
        if (Md5Crypt.handles(hash)) {
            return Md5Crypt.verify(password, hash);
        }
        if (isPlain(hash)) {
            return MessageDigest.isEqual(password, hash.getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    /** A stored password that is no hash: not {@code $...}, not {@code {...}}, not 13 characters of DES crypt. */
    private static boolean isPlain(String hash) {
        if (hash.startsWith("$") || hash.startsWith("{")) {
            return false;
        }
        if (hash.length() == 13) {
            for (int i = 0; i < 13; i++) {
                char c = hash.charAt(i);
                if (!(c == '.' || c == '/' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private Snapshot load(Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            if (reported.add(file.toString())) {
                log.accept("[uwsgi-route] cannot read htpasswd file " + file + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
            }
            return null;
        }
        Snapshot cached = files.get(file);
        if (cached != null && cached.modified.equals(attrs.lastModifiedTime()) && cached.size == attrs.size()) {
            return cached;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.accept("[uwsgi-route] cannot read htpasswd file " + file + ": " + e.getMessage());
            return null;
        }
        reported.remove(file.toString());
        List<Entry> entries = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon <= 0) {
                continue;
            }
            entries.add(new Entry(line.substring(0, colon), line.substring(colon + 1), i + 1));
        }
        Snapshot snapshot = new Snapshot(attrs.lastModifiedTime(), attrs.size(), List.copyOf(entries));
        files.put(file, snapshot);
        return snapshot;
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
