package dev.imperium.emperor.pgsql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a private directory of vassal files in step with a database monitor's rows, so that the emperor's normal
 * pipeline (watcher, settling, supervision) runs them: one file per row, named as the row's vassal, holding its config,
 * with its {@code ts} as mtime and, in tyrant mode, owned by its {@code uid} and {@code gid}.
 *
 * <p>uWSGI's rules (plugins/emperor_pg): a new name starts a vassal; a greater {@code ts} reloads it with the new
 * config (the file is replaced by an atomic rename, a new inode, so the watcher sees a change even when the mtime is
 * older than the last one); the same or a smaller {@code ts} changes nothing, even if the config differs; a name no
 * longer returned stops its vassal (the file is deleted). With an on-demand extension, a row's socket column is written
 * beside it as {@code NAME + extension}, the socket name on its first line (uWSGI's on-demand convention), before the
 * vassal file appears.
 *
 * <p>Not thread-safe: one poller uses it.
 */
public final class VassalMaterializer {
    private final Path dir;
    private final boolean chown;
    private final String onDemandExtension;
    /** The ts each present file was written with. */
    private final Map<String, Long> written = new HashMap<>();

    /**
     * Creates the materializer of a directory (created if missing, mode 0700, or 0711 with {@code chown} so that the
     * vassals' users can reach their files).
     *
     * @param dir the private directory
     * @param chown whether files take the row's uid and gid (tyrant mode, the emperor is root)
     * @param onDemandExtension the extension of on-demand socket files ({@code emperor-on-demand-extension}), or null
     * @throws IOException if the directory cannot be created
     */
    public VassalMaterializer(Path dir, boolean chown, String onDemandExtension) throws IOException {
        this.dir = dir;
        this.chown = chown;
        this.onDemandExtension = onDemandExtension;
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(chown ? "rwx--x--x" : "rwx------"));
    }

    /** Returns the directory. */
    public Path directory() {
        return dir;
    }

    /**
     * Brings the directory in line with a query's result.
     *
     * @param result the rows read
     * @return what was done, one line per vassal file written or removed (for the log), and errors
     */
    public List<String> apply(PgsqlRows.Result result) {
        List<String> notes = new ArrayList<>();
        for (PgsqlRows.VassalRow row : result.rows().values()) {
            Long before = written.get(row.name());
            if (before != null && row.ts() <= before) {
                continue; // uWSGI reloads only for a greater ts
            }
            try {
                write(row);
                written.put(row.name(), row.ts());
            } catch (IOException | RuntimeException e) {
                notes.add("cannot write the file of vassal " + row.name() + ": " + e.getMessage());
            }
        }
        for (String name : List.copyOf(written.keySet())) {
            if (!result.listed().contains(name)) {
                try {
                    Files.deleteIfExists(dir.resolve(name));
                    if (onDemandExtension != null) {
                        Files.deleteIfExists(dir.resolve(name + onDemandExtension));
                    }
                    written.remove(name);
                } catch (IOException e) {
                    notes.add("cannot remove the file of vassal " + name + ": " + e.getMessage());
                }
            }
        }
        return notes;
    }

    private void write(PgsqlRows.VassalRow row) throws IOException {
        if (onDemandExtension != null) {
            Path sidecar = dir.resolve(row.name() + onDemandExtension);
            if (row.socket() != null) {
                replace(sidecar, row.socket() + "\n", row);
            } else {
                Files.deleteIfExists(sidecar);
            }
        }
        replace(dir.resolve(row.name()), row.config(), row);
    }

    private void replace(Path target, String text, PgsqlRows.VassalRow row) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + row.name() + ".", ".tmp"); // hidden: never a vassal
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(tmp, FileTime.from(row.ts(), TimeUnit.SECONDS));
            if (chown && row.uid() != null && row.gid() != null) {
                Files.setAttribute(tmp, "unix:uid", row.uid());
                Files.setAttribute(tmp, "unix:gid", row.gid());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes every file and the directory (the emperor's exit). */
    public void removeAll() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // best effort: the directory is private and removed with the emperor's runtime directory
        }
        written.clear();
    }
}
