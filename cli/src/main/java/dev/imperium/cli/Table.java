package dev.imperium.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: columns separated by two spaces, padded to the widest cell; the last column unpadded. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] rightAligned;

    /**
     * Creates a table with a header row.
     *
     * @param header the column titles
     * @param rightAligned which columns hold numbers (aligned right); may be shorter than the header
     */
    Table(String[] header, boolean... rightAligned) {
        rows.add(header);
        this.rightAligned = new boolean[header.length];
        System.arraycopy(rightAligned, 0, this.rightAligned, 0, Math.min(rightAligned.length, header.length));
    }

    /** Adds a row; null cells print as {@code -}. */
    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    /** Returns whether only the header is there. */
    boolean isEmpty() {
        return rows.size() == 1;
    }

    /** Returns the table, one line per row, each ending in a newline, trailing spaces removed. */
    String render() {
        int columns = rows.getFirst().length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], cell(row, c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = cell(row, c);
                if (c > 0) {
                    line.append("  ");
                }
                if (c == columns - 1 && !rightAligned[c]) {
                    line.append(cell);
                } else if (rightAligned[c]) {
                    line.append(" ".repeat(width[c] - cell.length())).append(cell);
                } else {
                    line.append(cell).append(" ".repeat(width[c] - cell.length()));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String cell(String[] row, int c) {
        return c < row.length && row[c] != null ? row[c] : "-";
    }
}
