package dev.imperium.vassal;

import dev.imperium.os.Posix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the master FIFOs ({@code master-fifo}) on a thread of its own and hands each command to the master, in the
 * order written (uwsgi-docs "The Master FIFO"). As uWSGI, it removes whatever is at the path and creates the FIFO
 * with mode 0600; the first path is active at start, and a digit {@code N} makes the N-th active (the first when
 * there are fewer), logging {@code active master fifo is now PATH}.
 *
 * <p>Differences from uWSGI 2.0: the FIFO is opened for reading and writing, so a writer that closes never makes
 * the master recreate it (uWSGI recreates it then, and only then switches to a newly selected one: here the switch
 * happens right after the write that selected it); the FIFO left behind by a switch, and the active one at exit, are
 * removed (uWSGI leaves them, and a later {@code echo > fifo} would block with no reader).
 */
final class MasterFifoReader implements AutoCloseable {
    private final List<Path> paths;
    private final Consumer<MasterFifo.Command> sink;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean closed;
    private volatile FileChannel channel;
    private Path active;
    private Object activeKey;

    /**
     * Creates the reader; nothing happens before {@link #start()}.
     *
     * @param paths the FIFOs, absolute, in {@code master-fifo} order (at least one)
     * @param sink receives each command but {@code 0}-{@code 9} (which this reader handles), on the reader's thread
     * @param log receives log lines
     */
    MasterFifoReader(List<Path> paths, Consumer<MasterFifo.Command> sink, Consumer<String> log) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no master-fifo path");
        }
        this.paths = List.copyOf(paths);
        this.sink = Objects.requireNonNull(sink);
        this.log = Objects.requireNonNull(log);
        this.thread = Thread.ofPlatform().daemon().name("master-fifo").unstarted(this::run);
    }

    /** Returns the FIFO being read. */
    synchronized Path active() {
        return active;
    }

    /**
     * Creates the first FIFO and starts reading it.
     *
     * @throws IOException naming the path, if the FIFO cannot be created or opened
     */
    void start() throws IOException {
        open(paths.getFirst());
        thread.start();
    }

    /** Stops reading and removes the active FIFO, if it is still the one this reader created. */
    @Override
    public void close() {
        closed = true;
        FileChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        synchronized (this) {
            removeIfOurs(active, activeKey);
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (!closed) {
            int n;
            try {
                buffer.clear();
                n = channel.read(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.accept("master fifo " + active() + ": read error: " + e.getMessage() + "; no longer read");
                }
                return;
            }
            if (n <= 0) {
                continue; // no writer can make this EOF: the FIFO is open for writing too
            }
            int selected = -1;
            for (MasterFifo.Command command : MasterFifo.parse(buffer.array(), n)) {
                if (command.action() == MasterFifo.Action.SELECT_FIFO) {
                    selected = command.slot();
                } else {
                    sink.accept(command);
                }
            }
            if (selected >= 0 && !closed) {
                select(selected);
            }
        }
    }

    /** Makes the FIFO of {@code slot} the active one, creating it; on failure the current one stays active. */
    private void select(int slot) {
        Path next = paths.get(MasterFifo.effectiveSlot(slot, paths.size()));
        Path previous;
        Object previousKey;
        FileChannel previousChannel = channel;
        synchronized (this) {
            previous = active;
            previousKey = activeKey;
        }
        if (!next.equals(previous)) {
            try {
                open(next);
            } catch (IOException e) {
                log.accept("master fifo: " + e.getMessage() + "; " + previous + " stays active");
                return;
            }
            if (closed) { // closed meanwhile: the new FIFO goes too
                close();
                return;
            }
            try {
                previousChannel.close();
            } catch (IOException e) {
                // closing anyway
            }
            removeIfOurs(previous, previousKey);
        }
        log.accept(Log.now() + " - active master fifo is now " + next);
    }

    private void open(Path path) throws IOException {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IOException("cannot remove " + path + " for the master fifo: " + e.getMessage(), e);
        }
        int rc = Posix.mkfifo(path.toString(), 0600);
        if (rc < 0) {
            throw new IOException("mkfifo " + path + " failed (errno " + -rc + ")");
        }
        // read and write: the open does not wait for a writer, and no writer's close is an end of file
        FileChannel opened = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Object key = fileKey(path);
        synchronized (this) {
            channel = opened;
            active = path;
            activeKey = key;
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes a FIFO this reader created, unless something else now stands at its path. */
    private static void removeIfOurs(Path path, Object key) {
        if (path == null || key == null || !key.equals(fileKey(path))) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left behind: the next vassal to use the path removes it first
        }
    }
}
