package dev.imperium.tests.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The processes a test starts in its directory: {@code bin/vassal FILE} runs (and any other process, e.g. Debian's
 * uWSGI), all carrying one {@link Orphans} marker, and all stopped together by {@link #close()}, which then checks
 * that no process of theirs is left.
 *
 * <p>On an instance field it stops everything after each test:
 * <pre>{@code
 * @TempDir Path dir;
 * @RegisterExtension final Vassals vassals = new Vassals(() -> dir);
 * }</pre>
 * For processes a whole class shares, keep it unregistered and call {@link #close()} in {@code @AfterAll}.
 */
public final class Vassals implements AfterEachCallback, AutoCloseable {
    private final Supplier<Path> directory;
    private final String marker = UUID.randomUUID().toString();
    private final List<ManagedProcess> processes = new ArrayList<>();

    /**
     * @param directory where files are written and processes run; read at each start (a {@code @TempDir} field is
     *     not injected yet when the field holding this is initialised)
     */
    public Vassals(Supplier<Path> directory) {
        this.directory = directory;
    }

    /** Returns the directory. */
    public Path dir() {
        return directory.get();
    }

    /** Returns the marker every process started here carries ({@link Orphans#MARKER}). */
    public String marker() {
        return marker;
    }

    /**
     * Writes {@code content} to {@code file} in the directory and starts {@code bin/vassal file} there, its output in
     * {@code file.log}.
     */
    public ManagedProcess start(String file, String content) {
        return start(file, content, builder -> { });
    }

    /**
     * As {@link #start(String, String)}, with {@code customise} applied to the builder before the start, e.g.
     * {@code b -> b.withoutEnv(ManagedProcess.Builder.ALLOW_ROOT)}.
     */
    public ManagedProcess start(String file, String content, Consumer<ManagedProcess.Builder> customise) {
        Path dir = dir();
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess.Builder builder = ManagedProcess.builder("vassal " + file,
                        List.of(Dist.bin("vassal").toString(), file))
                .directory(dir).log(dir.resolve(file + ".log"))
                .env("JAVA_HOME", System.getProperty("java.home"));
        customise.accept(builder);
        return start(builder);
    }

    /** Starts any process with the marker, to be stopped with the others. */
    public ManagedProcess start(ManagedProcess.Builder builder) {
        ManagedProcess process = builder.env(Orphans.MARKER, marker).start();
        processes.add(process);
        return process;
    }

    /**
     * Stops every process started here, the last started first, then waits up to 10 s until no process carries the
     * marker.
     *
     * @throws AssertionError if a process outlived them (it is killed first)
     */
    @Override
    public void close() {
        processes.reversed().forEach(ManagedProcess::close);
        processes.clear();
        Orphans.assertNoneLeft(marker, Duration.ofSeconds(10), "the test");
    }

    /** Closes after each test when registered with {@code @RegisterExtension}. */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
