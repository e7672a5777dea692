package dev.imperium.emperor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

/**
 * What identifies one version of a vassal file: its modification time (to the nanosecond the file system keeps),
 * its size and its file key (device and inode on Linux). A touch changes the mtime, an edit the mtime and usually
 * the size, an atomic rename over the file the inode: any difference means "changed". uWSGI compares whole-second
 * mtimes only (uwsgi-features.md §1.4), so two edits in one second can go unseen there; not here.
 *
 * @param modified the last-modified time
 * @param size the size in bytes
 * @param fileKey the file key ({@code null} where the file system has none)
 */
public record FileStamp(FileTime modified, long size, Object fileKey) {
    /** Checks that {@code modified} is given. */
    public FileStamp {
        Objects.requireNonNull(modified, "modified");
    }

    /**
     * Reads the stamp of a regular file, following symbolic links (a symlinked vassal is stamped by its target,
     * as uWSGI's {@code stat}).
     *
     * @param file the file
     * @return the stamp, or empty if the file is missing, unreadable or not a regular file
     */
    public static Optional<FileStamp> of(Path file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new FileStamp(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey()));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "mtime " + modified + ", " + size + " bytes" + (fileKey == null ? "" : ", " + fileKey);
    }
}
