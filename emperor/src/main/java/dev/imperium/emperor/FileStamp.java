package dev.imperium.emperor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * @param owner the file's owner, read only in tyrant mode ({@code emperor-tyrant}), where a {@code chown} is a change
 *     too; {@code null} otherwise
 */
public record FileStamp(FileTime modified, long size, Object fileKey, Owner owner) {
    /**
     * A file's owner (tyrant mode).
     *
     * @param uid the owning user id
     * @param gid the owning group id
     */
    public record Owner(int uid, int gid) {
        @Override
        public String toString() {
            return "uid " + uid + ", gid " + gid;
        }
    }

    /** Checks that {@code modified} is given. */
    public FileStamp {
        Objects.requireNonNull(modified, "modified");
    }

    /** A stamp without owner. */
    public FileStamp(FileTime modified, long size, Object fileKey) {
        this(modified, size, fileKey, null);
    }

    /**
     * Reads the stamp of a regular file, following symbolic links (a symlinked vassal is stamped by its target,
     * as uWSGI's {@code stat}).
     *
     * @param file the file
     * @return the stamp, or empty if the file is missing, unreadable or not a regular file
     */
    public static Optional<FileStamp> of(Path file) {
        return of(file, false, false);
    }

    /**
     * Reads the stamp of a regular file, following symbolic links, with its owner when {@code withOwner} (tyrant
     * mode): the owner of the file itself, or of the symbolic link with {@code ownerNoFollow}
     * ({@code emperor-tyrant-nofollow}, uWSGI's {@code lstat}).
     *
     * @param file the file
     * @param withOwner whether to read the owner
     * @param ownerNoFollow whether the owner is the link's rather than its target's
     * @return the stamp, or empty if the file (or, with {@code ownerNoFollow}, the link) is missing, unreadable or
     *     not a regular file
     */
    public static Optional<FileStamp> of(Path file, boolean withOwner, boolean ownerNoFollow) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            Owner owner = null;
            if (withOwner) {
                LinkOption[] options = ownerNoFollow ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
                owner = new Owner((Integer) Files.getAttribute(file, "unix:uid", options),
                        (Integer) Files.getAttribute(file, "unix:gid", options));
            }
            return Optional.of(new FileStamp(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey(), owner));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "mtime " + modified + ", " + size + " bytes" + (fileKey == null ? "" : ", " + fileKey)
                + (owner == null ? "" : ", " + owner);
    }
}
