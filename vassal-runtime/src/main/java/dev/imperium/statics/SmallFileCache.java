package dev.imperium.statics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers small static files that were served, so that serving one again costs one {@code stat(2)} instead of a
 * real-path check ({@code realpath(3)}, a {@code stat} per path component), {@code open}, {@code fstat}, {@code read}
 * and {@code close}.
 *
 * <p>An entry is used only while the request's own path still names the same file: {@code stat} of that path
 * (symlinks followed) must give the same device and inode ({@link BasicFileAttributes#fileKey()}), size and
 * modification time. A file that changed, a symlink that now points elsewhere (inside the root or not) or a removed
 * file all fail that check; the entry is dropped and the request takes the full lookup, real-path check included.
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
     * One cached file.
     *
     * @param validation the path derived from the request that must still name the file
     * @param fileKey device and inode of the file
     * @param size the file's size in bytes
     * @param modified its modification time
     * @param response what the response needs: its content and fields
     */
    record Entry(Path validation, Object fileKey, long size, FileTime modified, CachedResponse response) {
    }

    /**
     * The content and field values of a cached file's response.
     *
     * @param content the file's bytes
     * @param contentType the {@code Content-Type} value, or null
     * @param lastModified the {@code Last-Modified} value (IMF-fixdate)
     * @param modifiedSecond the modification time truncated to seconds (epoch s), for {@code If-Modified-Since}
     */
    record CachedResponse(byte[] content, String contentType, String lastModified, long modifiedSecond) {
    }

    private record Key(int mount, String path) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    /**
     * Returns the cached response for a request path under a mount, if the path still names the cached file.
     *
     * @param mount the mount's index
     * @param path the request path (decoded)
     * @return the response, or null (not cached, or stale: then dropped)
     */
    CachedResponse get(int mount, String path) {
        Key key = new Key(mount, path);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        BasicFileAttributes now = attributes(entry.validation());
        if (now != null && now.isRegularFile() && Objects.equals(now.fileKey(), entry.fileKey())
                && now.size() == entry.size() && now.lastModifiedTime().equals(entry.modified())) {
            return entry.response();
        }
        if (entries.remove(key, entry)) {
            totalBytes.addAndGet(-entry.size());
        }
        return null;
    }

    /**
     * Offers a file that was just served. Kept if small enough, if there is room and if {@code validation} (a path
     * derived from the request) names the same file as {@code attributes} describe.
     *
     * @param mount the mount's index
     * @param path the request path (decoded)
     * @param validation the path the request resolves to before symlinks are followed
     * @param attributes the served file's attributes, read before its content
     * @param response the response as served
     */
    void offer(int mount, String path, Path validation, BasicFileAttributes attributes, CachedResponse response) {
        long size = response.content().length;
        if (size > MAX_FILE_BYTES || size != attributes.size() || attributes.fileKey() == null) {
            return;
        }
        BasicFileAttributes check = attributes(validation);
        if (check == null || !Objects.equals(check.fileKey(), attributes.fileKey())) {
            return;
        }
        if (totalBytes.addAndGet(size) > MAX_TOTAL_BYTES) {
            totalBytes.addAndGet(-size);
            return;
        }
        Entry entry = new Entry(validation, attributes.fileKey(), size, attributes.lastModifiedTime(), response);
        Entry previous = entries.put(new Key(mount, path), entry);
        if (previous != null) {
            totalBytes.addAndGet(-previous.size());
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
