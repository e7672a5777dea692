package dev.imperium.logging;

import dev.imperium.os.Posix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * A log file written by the master only ({@code logto}, {@code logto2}, {@code file:} loggers): appended to, moved
 * aside past {@code maxSize} bytes ({@code log-maxsize}) or on demand, reopened on demand (uWSGI 2.0
 * {@code uwsgi_log_rotate}, {@code uwsgi_log_reopen}, {@code core/logging.c}, with its log lines).
 *
 * <p>Rotation and reopening happen between two writes, and every line reaches the file in one write: no line is
 * lost or split, whatever the load. The vassal's main log also takes the master's own standard output and error
 * (fd 1 and 2), for what the JVM prints there. Files are created with mode 0640, as uWSGI creates them.
 */
public final class FileTarget implements LogTarget {
    /**
     * Who a new log file belongs to ({@code logto2}, {@code logfile-chown}): the workers' user and group.
     *
     * @param uid the user id, or -1 to keep it
     * @param gid the group id, or -1 to keep it
     * @param always chown existing files too ({@code logfile-chown}); otherwise only the files created
     */
    public record Owner(int uid, int gid, boolean always) {
    }

    private final Path path;
    private final long maxSize;
    private final Path backupName;
    private final boolean stdio;
    private final Owner owner;
    private final ZoneId zone = ZoneId.systemDefault();
    private FileChannel channel;
    /** Issue 8: resource limits. A full disk: reported once, lines counted, a note when it works again. */
    private final WriteFailures failures;
    /**
     * Issue 8: resource limits. Where a failing log file is reported: the master's standard error as it was before
     * {@code logto} took fd 2 (under an emperor, the pipe the emperor reads), else fd 2.
     */
    private static volatile int reportFd = 2;

    private FileTarget(Path path, long maxSize, Path backupName, boolean stdio, Owner owner) {
        this.path = path;
        this.maxSize = maxSize;
        this.backupName = backupName;
        this.stdio = stdio;
        this.owner = owner;
        this.failures = new WriteFailures("log file " + path);
    }

    /**
     * Opens a log file.
     *
     * @param path the file, absolute
     * @param maxSize rotate once it is larger than this many bytes, 0 for never
     * @param backupName where to move it on rotation (absolute), or null for {@code FILE.EPOCHSECONDS}
     * @param stdio also point this process's fd 1 and 2 at it
     * @param owner who new files belong to, or null
     * @param truncate empty it first ({@code log-truncate})
     * @return the open target
     * @throws IOException if it cannot be opened
     */
    public static FileTarget open(Path path, long maxSize, Path backupName, boolean stdio, Owner owner,
            boolean truncate) throws IOException {
        FileTarget target = new FileTarget(path, maxSize, backupName, stdio, owner);
        target.channel = target.openChannel(truncate);
        return target;
    }

    /** Returns the file. */
    public Path path() {
        return path;
    }

    private FileChannel openChannel(boolean truncate) throws IOException {
        boolean created = !Files.exists(path);
        if (truncate && !created) {
            FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
        }
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileChannel opened = created
                ? FileChannel.open(path, options, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----")))
                : FileChannel.open(path, options);
        try {
            if (owner != null && (created || owner.always())) {
                if (owner.uid() >= 0) {
                    Files.setAttribute(path, "unix:uid", owner.uid());
                }
                if (owner.gid() >= 0) {
                    Files.setAttribute(path, "unix:gid", owner.gid());
                }
            }
            if (stdio) {
                int fd = Posix.openAppend(path.toString());
                if (fd < 0) {
                    throw new IOException("open(" + path + "): errno " + -fd);
                }
                System.out.flush();
                System.err.flush();
                keepOriginalStderr();
                Posix.dup2(fd, 1);
                Posix.dup2(fd, 2);
                Posix.close(fd);
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    @Override
    public void write(long pid, byte[] bytes, int offset, int length) {
        long now = System.currentTimeMillis();
        if (failures.failing()) { // Issue 8: resource limits: first the note saying what was lost, if it fits now
            String note = failures.recoveryNote(now).orElseThrow();
            byte[] noteBytes = ((failures.cutLine() ? "\n" : "") + Ctime.of(now, zone) + " - " + note + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(noteBytes);
            IOException error = tryWrite(buffer);
            if (error != null) {
                failures.failed(error, WriteFailures.lines(bytes, offset, length), length,
                        buffer.position() > 0, now);
                return;
            }
            failures.recovered();
            report(note);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        IOException error = tryWrite(buffer);
        if (error != null) {
            failures.failed(error, WriteFailures.lines(bytes, offset, length), length,
                    buffer.position() > offset, now).ifPresent(FileTarget::report);
            return;
        }
        if (maxSize > 0 && RotationNames.due(size(), maxSize)) {
            rotate();
        }
    }

    /** Writes the whole buffer; returns the error that stopped it (disk full, file gone...), or null. */
    private IOException tryWrite(ByteBuffer buffer) {
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private void writeRaw(ByteBuffer buffer) {
        tryWrite(buffer); // a note about rotation: lost if the file cannot take it
    }

    /**
     * Issue 8: resource limits. Keeps a copy of fd 2 before the first {@code logto} replaces it, so that a log file
     * that cannot be written can still be reported where the vassal's output went before.
     */
    private static synchronized void keepOriginalStderr() {
        if (reportFd == 2) {
            int copy = dev.imperium.os.Descriptors.dupCloexec(2, 3);
            if (copy >= 0) {
                reportFd = copy;
            }
        }
    }

    /** Issue 8: resource limits. Writes a line about a failing log file to {@link #reportFd} (best effort). */
    private static void report(String line) {
        byte[] b = (Ctime.of(System.currentTimeMillis(), ZoneId.systemDefault()) + " - " + line + "\n")
                .getBytes(StandardCharsets.UTF_8);
        dev.imperium.os.Descriptors.writeAll(reportFd, b);
    }

    private void note(String line) {
        writeRaw(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Moves the file to its backup name and starts a new one; logs, in the old file, uWSGI's
     * {@code logsize: N, triggering rotation to BACKUP...}.
     */
    @Override
    public void rotate() {
        long now = System.currentTimeMillis();
        Path backup = RotationNames.backup(path, backupName, now / 1000, Files::exists);
        note(Ctime.of(now, zone) + " - logsize: " + size() + ", triggering rotation to " + backup + "...");
        try {
            Files.move(path, backup, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            note("unable to rotate log: rename(): " + e);
            return;
        }
        swap(backup);
    }

    /**
     * Closes and reopens the file by name (for an external {@code logrotate} that moved it), logging uWSGI's
     * {@code [T] logsize: N, triggering log-reopen...} in the old file and {@code [T] FILE reopened.} in the new.
     */
    @Override
    public void reopen() {
        long seconds = System.currentTimeMillis() / 1000;
        note("[" + seconds + "] logsize: " + size() + ", triggering log-reopen...");
        if (swap(null)) {
            note("[" + seconds + "] " + path + " reopened.");
        }
    }

    /** Opens the path anew and switches to it; on failure keeps writing where it did and says so there. */
    private boolean swap(Path movedTo) {
        FileChannel fresh;
        try {
            fresh = openChannel(false);
        } catch (IOException | RuntimeException e) {
            note("unable to open " + path + ": " + e.getMessage() + "; the log goes on in "
                    + (movedTo != null ? movedTo : path));
            return false;
        }
        FileChannel old = channel;
        channel = fresh;
        try {
            old.close();
        } catch (IOException e) {
            // nothing to flush: writes are unbuffered
        }
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
