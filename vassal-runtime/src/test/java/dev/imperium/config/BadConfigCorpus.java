package dev.imperium.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The corpus of broken, hostile and huge vassal files (issue 8, bad configs): the committed files of
 * {@code src/test/resources/badconfigs/} plus the ones that cannot be committed (FIFOs, symbolic links, a directory, an
 * unreadable file, files of megabytes), written into a directory. {@code expected.tsv} there names each vassal file of
 * the corpus and what its rejection must say.
 *
 * <p>Used by {@code BadConfigsTest} (the loader) and, run as a program with the JDK's source launcher
 * ({@code java BadConfigCorpus.java SOURCE_DIR TARGET_DIR}), by {@code BadConfigsIT} (the emperor, {@code imperium
 * check}): it depends on the JDK only.
 */
public final class BadConfigCorpus {
    /** A 1 MiB line: longer than a line may be. */
    static final int LONG_LINE = 1 << 20;

    private BadConfigCorpus() {
    }

    /** {@code java BadConfigCorpus.java SOURCE_DIR TARGET_DIR}: writes the corpus into TARGET_DIR. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]));
    }

    /**
     * Copies the committed corpus and writes the generated files.
     *
     * @param source {@code src/test/resources/badconfigs}
     * @param target where to write (created if missing)
     * @return every corpus vassal file's name and the pattern its message must contain, from {@code expected.tsv}
     */
    public static Map<String, String> write(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()),
                        StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
        Path parts = target.resolve("parts");
        mkfifo(target.resolve("fifo.ini"));
        mkfifo(parts.resolve("fifo"));
        Files.createDirectories(target.resolve("directory.ini"));
        Files.createSymbolicLink(target.resolve("symlink-loop.ini"), Path.of("symlink-loop.ini"));
        Files.createSymbolicLink(target.resolve("symlink-loop-indirect.ini"), Path.of("parts/loop-b.ini"));
        Files.createSymbolicLink(parts.resolve("loop-b.ini"), Path.of("../symlink-loop-indirect.ini"));
        Files.createSymbolicLink(target.resolve("dangling-symlink.ini"), Path.of("parts/nowhere.ini"));
        Files.createSymbolicLink(target.resolve("dev-zero.ini"), Path.of("/dev/zero"));
        Files.createSymbolicLink(target.resolve("dev-urandom.yaml"), Path.of("/dev/urandom"));
        Path unreadable = Files.writeString(target.resolve("unreadable.ini"), "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));

        StringBuilder huge = new StringBuilder("[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        while (huge.length() <= 5 << 20) {
            huge.append("; padding padding padding padding padding padding padding padding padding\n");
        }
        Files.writeString(target.resolve("huge.ini"), huge);
        Files.writeString(target.resolve("long-line.ini"), "[uwsgi]\nhttp-socket = 127.0.0.1:0\nenv = X="
                + "A".repeat(LONG_LINE) + "\n");
        Files.writeString(target.resolve("long-key.ini"), "[uwsgi]\nhttp-socket = 127.0.0.1:0\n"
                + "k".repeat(LONG_LINE) + " = 1\n");
        Random random = new Random(8);
        byte[] junk = new byte[64 * 1024];
        random.nextBytes(junk);
        Files.write(target.resolve("binary-junk.ini"), junk);
        Files.write(target.resolve("binary-junk.json"), junk);
        byte[] header = "[uwsgi]\nhttp-socket = 127.0.0.1:0\n".getBytes(StandardCharsets.US_ASCII);
        byte[] withHeader = new byte[header.length + junk.length];
        System.arraycopy(header, 0, withHeader, 0, header.length);
        System.arraycopy(junk, 0, withHeader, header.length, junk.length);
        Files.write(target.resolve("binary-junk-in-section.ini"), withHeader);

        StringBuilder many = new StringBuilder("[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        for (int i = 0; i < 150_000; i++) {
            many.append("env = X").append(i).append("=1\n");
        }
        Files.writeString(target.resolve("many-entries.ini"), many);
        StringBuilder unknown = new StringBuilder("[uwsgi]\nhttp-socket = 127.0.0.1:0\nstrict = true\n");
        for (int i = 0; i < 50_000; i++) {
            unknown.append("harakri").append(i).append(" = 1\n");
        }
        Files.writeString(target.resolve("many-unknown-keys.ini"), unknown);

        int depth = 100_000;
        Files.writeString(target.resolve("deep.yaml"), "uwsgi:\n  http-socket: 127.0.0.1:0\n  env: "
                + "[\n".repeat(depth) + "]\n".repeat(depth) + "\n");
        Files.writeString(target.resolve("deep-mapping.yaml"), "uwsgi:\n  http-socket: 127.0.0.1:0\n  env: "
                + "{a: \n".repeat(depth) + "1" + "}\n".repeat(depth) + "\n");
        Files.writeString(target.resolve("deep.json"), "{\"uwsgi\": {\"http-socket\": \"127.0.0.1:0\", \"env\": "
                + "[\n".repeat(depth) + "]\n".repeat(depth) + "}}\n");
        Files.writeString(target.resolve("deep-top.json"), "[\n".repeat(depth) + "]\n".repeat(depth) + "\n");
        Files.writeString(target.resolve("deep.xml"), "<uwsgi><http-socket>127.0.0.1:0</http-socket><env>"
                + "<a>\n".repeat(depth) + "</a>\n".repeat(depth) + "</env></uwsgi>\n");

        int chain = 40;
        Files.writeString(target.resolve("include-deep.ini"), "[uwsgi]\nhttp-socket = 127.0.0.1:0\n"
                + "include = parts/deep-1.ini\n");
        for (int i = 1; i <= chain; i++) {
            Files.writeString(parts.resolve("deep-" + i + ".ini"), "[uwsgi]\ninclude = parts/deep-" + (i + 1)
                    + ".ini\n");
        }
        Files.writeString(parts.resolve("big.txt"), "x".repeat((1 << 20) - 16));
        Files.writeString(target.resolve("expansion-bomb.ini"), "[uwsgi]\nhttp-socket = 127.0.0.1:0\n"
                + "big = @(parts/big.txt)\nenv = X=" + "%(big)".repeat(4000) + "\n");
        return expected(target.resolve("expected.tsv"));
    }

    /** Reads {@code expected.tsv}: {@code NAME<TAB>PATTERN} lines; {@code #} starts a comment. */
    static Map<String, String> expected(Path index) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(index)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            out.put(line.substring(0, tab), line.substring(tab + 1).strip());
        }
        return out;
    }

    private static void mkfifo(Path path) throws IOException {
        List<String> command = new ArrayList<>(List.of("mkfifo", path.toString()));
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
