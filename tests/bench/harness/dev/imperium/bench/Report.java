package dev.imperium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The result table: rows collected from every case, printed to stdout as an aligned text table and written as
 * Markdown (header with date, machine, versions and options; the table; how each case ran; notes).
 */
final class Report {
    /**
     * One line of the table.
     *
     * @param met {@code null} when the row has no target (information only)
     */
    record Row(String caseName, String conns, String imperium, String peer, String ratio, String target, Boolean met,
               String imperiumLatency, String peerLatency, String notes) {
        String metText() {
            return met == null ? "–" : met ? "yes" : "**no**";
        }
    }

    static final List<String> COLUMNS = List.of("case", "conns", "Imperium", "peer", "ratio", "target", "met?",
            "Imperium p50/p99 ms", "peer p50/p99 ms", "notes");

    private final List<Row> rows = new ArrayList<>();
    private final List<String> howCasesRan = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
    }

    /** Records how a case was run (peer configuration, caveats), listed under the table. */
    synchronized void describe(String line) {
        howCasesRan.add(line);
    }

    List<Row> rows() {
        return rows;
    }

    private static List<String> cells(Row r) {
        return List.of(r.caseName(), r.conns(), r.imperium(), r.peer(), r.ratio(), r.target(), r.metText(),
                r.imperiumLatency(), r.peerLatency(), r.notes());
    }

    /** The table as aligned plain text (notes last, unpadded). */
    String text() {
        List<List<String>> all = new ArrayList<>();
        all.add(COLUMNS);
        rows.forEach(r -> all.add(cells(r).stream().map(c -> c.replace("**", "")).toList()));
        int[] width = new int[COLUMNS.size()];
        for (List<String> line : all) {
            for (int i = 0; i < line.size() - 1; i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> line : all) {
            for (int i = 0; i < line.size(); i++) {
                String c = line.get(i);
                b.append(i == line.size() - 1 ? c : c + " ".repeat(width[i] - c.length()) + "  ");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The table as Markdown. */
    String markdownTable() {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
        b.append("|").append("---|".repeat(COLUMNS.size())).append("\n");
        for (Row r : rows) {
            b.append("| ").append(String.join(" | ", cells(r).stream().map(c -> c.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        return b.toString();
    }

    /** Writes the whole Markdown report. */
    void write(Path file, List<String> header, List<String> notes) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Imperium side by side with uWSGI 2.0 and nginx\n\n");
        b.append("Written by `tests/bench/run` (see `tests/bench/README.md`). Ratios are Imperium / peer, measured "
                + "in the same run with the same client; absolute figures depend on the machine.\n\n");
        for (String h : header) {
            b.append("- ").append(h).append('\n');
        }
        b.append('\n').append(markdownTable()).append('\n');
        if (!howCasesRan.isEmpty()) {
            b.append("## How each case ran\n\n");
            for (String h : howCasesRan) {
                b.append("- ").append(h).append('\n');
            }
            b.append('\n');
        }
        if (!notes.isEmpty()) {
            b.append("## Notes\n\n");
            for (String n : notes) {
                b.append("- ").append(n).append('\n');
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, b.toString());
    }
}
