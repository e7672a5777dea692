package dev.imperium.statics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers small static files that were served, so that serving one again costs a {@code stat(2)} or two instead of
 * a real-path check ({@code realpath(3)}, a {@code stat} per path component), {@code open}, {@code fstat},
 * {@code read} and {@code close}.
 *
 * <p>An entry is used only while every one of its {@link Check}s still holds: the request's own path (symlinks
 * followed) names the same file (device and inode, {@link BasicFileAttributes#fileKey()}, size and modification
 * time), and for a file with precompressed variants, the variant sent is unchanged and the variants not found are
 * still absent. A changed file, a symlink that now points elsewhere (inside the root or not), a removed file or a new
 * {@code .gz} all fail a check; the entry is dropped and the request takes the full lookup, real-path check
 * included. Entries are kept per request path and per key the caller gives: {@link StaticFiles} uses the set of
 * codings the client takes for files with precompressed variants, so that a gzip-taking client and another one each
 * get their own variant, and one key for all other files.
 *
 * <p>Bounded: files of at most {@link #MAX_FILE_BYTES} bytes, {@link #MAX_TOTAL_BYTES} bytes in all per worker; when
 * full, further files are simply not cached. Thread-safe.
 */
final class SmallFileCache {
    /** The largest file kept, in bytes. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    /** The most bytes of file content kept, per worker. */
    static final long MAX_TOTAL_BYTES = 4L * 1024 * 1024;

    /**
     * A path that must still name the same regular file, or must name no regular file.
     *
     * @param path the path, stat-ed with symlinks followed
     * @param present true if the path must name the file described, false if it must name no regular file
     * @param fileKey device and inode (null when the file system gives none: such a file is not cached)
     * @param size the size in bytes
     * @param modified the modification time
     */
    record Check(Path path, boolean present, Object fileKey, long size, FileTime modified) {
        /** A check that {@code path} names no regular file. */
        static Check absent(Path path) {
            return new Check(path, false, null, 0, null);
        }

        /** A check that {@code path} still names the file {@code attributes} describe. */
        static Check same(Path path, BasicFileAttributes attributes) {
            return new Check(path, true, attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
        }

        /** Returns true if the check holds now (one {@code stat}). */
        boolean holds() {
            BasicFileAttributes now = attributes(path);
            boolean regular = now != null && now.isRegularFile();
            if (!present) {
                return !regular;
            }
            return regular && fileKey != null && fileKey.equals(now.fileKey()) && now.size() == size
                    && now.lastModifiedTime().equals(modified);
        }
    }

    /**
     * A cached response: what it says about the file, and the file's bytes.
     *
     * @param file the fields and validators
     * @param content the bytes sent
     */
    record Cached(StaticFile file, byte[] content) {
    }

    private record Key(int mount, String path, int codings) {
    }

    private record Entry(List<Check> checks, Cached cached) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    /**
     * Returns the cached response for a request path under a mount, if every check of its entry still holds.
     *
     * @param mount the mount's index
     * @param path the request path (decoded)
     * @param codings the precompressed codings the client takes ({@link AcceptEncoding#of})
     * @return the response, or null (not cached, or stale: then dropped)
     */
    Cached get(int mount, String path, int codings) {
        Key key = new Key(mount, path, codings);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        for (Check check : entry.checks()) {
            if (!check.holds()) {
                if (entries.remove(key, entry)) {
                    totalBytes.addAndGet(-entry.cached().content().length);
                }
                return null;
            }
        }
        return entry.cached();
    }

    /**
     * Offers a response that was just served. Kept if small enough, if there is room and if every check holds (the
     * attributes the checks carry were read before the content, so a file changed meanwhile is not kept).
     *
     * @param mount the mount's index
     * @param path the request path (decoded)
     * @param codings the precompressed codings the client takes
     * @param checks what must hold for the entry to be used
     * @param cached the response as served
     */
    void offer(int mount, String path, int codings, List<Check> checks, Cached cached) {
        long size = cached.content().length;
        if (size > MAX_FILE_BYTES || size != cached.file().size()) {
            return;
        }
        for (Check check : checks) {
            if (!check.holds()) {
                return;
            }
        }
        if (totalBytes.addAndGet(size) > MAX_TOTAL_BYTES) {
            totalBytes.addAndGet(-size);
            return;
        }
        Entry previous = entries.put(new Key(mount, path, codings), new Entry(List.copyOf(checks), cached));
        if (previous != null) {
            totalBytes.addAndGet(-previous.cached().content().length);
        }
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
