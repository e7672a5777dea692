package dev.imperium.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a file that a config names (the vassal file, an include, {@code @(file)}, {@code for-readline}) without
 * letting a hostile one hang or exhaust the reader: only regular files are read (following symbolic links), never a
 * FIFO that nobody writes, a device such as {@code /dev/zero}, a socket or a directory; and at most a given number of
 * bytes are read, whatever size the file claims (files in {@code /proc} claim 0; a file may grow while it is read).
 * Issue 8 (bad configs).
 *
 * <p>A file replaced between the type check and the read (say, by a FIFO) is not caught; a rename over the file while
 * it is read gives either the old or the new content, never a mix.
 */
public final class ConfigFiles {
    /** The largest vassal file, in bytes (CONFIG.md "Limits"). */
    public static final int MAX_CONFIG_BYTES = 4 << 20;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private ConfigFiles() {
    }

    /** Why a file cannot be read as a config; the message reads as {@code PATH is a FIFO (named pipe), ...}. */
    public static final class UnreadableException extends IOException {
        private static final long serialVersionUID = 1L;

        private final boolean missing;

        UnreadableException(String message, boolean missing) {
            super(message);
            this.missing = missing;
        }

        /** Whether the file does not exist (a dangling symbolic link included). */
        public boolean missing() {
            return missing;
        }
    }

    /**
     * Reads a regular file, at most {@code maxBytes}.
     *
     * @param path the file; symbolic links are followed
     * @param maxBytes the most the file may hold
     * @return its bytes
     * @throws UnreadableException naming the path and the cause: it does not exist, is a directory, a FIFO, a device
     *     or a socket, is a symbolic link loop, permission is denied, it holds more than {@code maxBytes}, or another
     *     I/O error
     */
    public static byte[] read(Path path, int maxBytes) throws UnreadableException {
        checkRegular(path);
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[(int) Math.min(maxBytes + 1L, 64 * 1024)];
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    if (length > maxBytes) {
                        throw new UnreadableException(path + " is larger than " + maxBytes + " bytes", false);
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes + 1L, (long) length * 2));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    return Arrays.copyOf(buffer, length);
                }
                length += n;
                if (length > maxBytes) {
                    throw new UnreadableException(path + " is larger than " + maxBytes + " bytes", false);
                }
            }
        } catch (UnreadableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw describe(path, e);
        }
    }

    /**
     * Checks that a path is a regular file (following symbolic links) without opening it.
     *
     * @param path the file
     * @throws UnreadableException as for {@link #read}, except the size
     */
    public static void checkRegular(Path path) throws UnreadableException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException | RuntimeException e) {
            throw describe(path, e);
        }
        String kind = switch (mode & S_IFMT) {
            case S_IFREG -> null;
            case S_IFDIR -> "is a directory";
            case S_IFIFO -> "is a FIFO (named pipe)";
            case S_IFCHR -> "is a character device";
            case S_IFBLK -> "is a block device";
            case S_IFSOCK -> "is a socket";
            default -> "is not a regular file";
        };
        if (kind != null) {
            throw new UnreadableException(path + " " + kind + ", not a config file", false);
        }
    }

    private static UnreadableException describe(Path path, Exception e) {
        if (e instanceof NoSuchFileException) {
            return new UnreadableException(path + " does not exist", true);
        }
        if (e instanceof AccessDeniedException) {
            return new UnreadableException("cannot read " + path + ": permission denied", false);
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            String reason = fs.getReason();
            if (reason.contains("symbolic links")) {
                return new UnreadableException(path + " is a symbolic link loop (or a chain of more than 40 links)",
                        false);
            }
            if (reason.contains("Is a directory")) {
                return new UnreadableException(path + " is a directory, not a config file", false);
            }
            return new UnreadableException("cannot read " + path + ": " + reason, false);
        }
        return new UnreadableException("cannot read " + path + ": " + e.getMessage(), false);
    }
}
