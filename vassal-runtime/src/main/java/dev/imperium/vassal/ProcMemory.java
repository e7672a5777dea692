package dev.imperium.vassal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's memory as Linux reports it in {@code /proc/PID/status}: resident ({@code VmRSS}) and virtual
 * ({@code VmSize}) size, in bytes, what uWSGI's stats call {@code rss} and {@code vsz}.
 *
 * @param rss resident bytes, 0 if unknown
 * @param vsz virtual bytes, 0 if unknown
 */
record ProcMemory(long rss, long vsz) {
    static final ProcMemory NONE = new ProcMemory(0, 0);

    /** Reads a process's memory; {@link #NONE} when it is gone or the file cannot be read. */
    static ProcMemory of(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status"));
    }

    /** Reads this process's memory. */
    static ProcMemory self() {
        return read(Path.of("/proc/self/status"));
    }

    static ProcMemory read(Path status) {
        // a stream, not Files.readString: /proc files report size 0
        try (InputStream in = Files.newInputStream(status)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** Reads {@code VmRSS} and {@code VmSize} ({@code kB}) from the text of a status file. */
    static ProcMemory parse(String status) {
        return new ProcMemory(kilobytes(status, "VmRSS:") * 1024, kilobytes(status, "VmSize:") * 1024);
    }

    private static long kilobytes(String status, String field) {
        int at = status.indexOf(field);
        if (at < 0) {
            return 0;
        }
        int end = status.indexOf('\n', at);
        String value = status.substring(at + field.length(), end < 0 ? status.length() : end).trim();
        int space = value.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? value : value.substring(0, space));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
