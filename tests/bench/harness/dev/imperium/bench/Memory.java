package dev.imperium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory of a process tree from {@code /proc/PID/smaps_rollup}: RSS and PSS summed over a root process and all its
 * descendants (PSS splits shared pages between the processes sharing them, so it adds up across a tree; RSS counts
 * shared pages in every process).
 */
final class Memory {
    /** Bytes of RSS and PSS over {@code processes} processes. */
    record Usage(long rss, long pss, int processes) {
        String text() {
            return Stats.num(Stats.mib(rss), 1) + " / " + Stats.num(Stats.mib(pss), 1) + " MiB RSS / PSS ("
                    + processes + " process" + (processes == 1 ? "" : "es") + ")";
        }
    }

    private Memory() {
    }

    /** The root process and every descendant. */
    static Usage ofTree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return sum(all);
    }

    /** Only the given process. */
    static Usage of(ProcessHandle process) {
        return sum(List.of(process));
    }

    /** Every descendant of the root, not the root itself (e.g. all vassals of an emperor). */
    static Usage ofDescendants(ProcessHandle root) {
        return sum(root.descendants().toList());
    }

    private static Usage sum(List<ProcessHandle> processes) {
        long rss = 0;
        long pss = 0;
        int n = 0;
        for (ProcessHandle p : processes) {
            long r = rollup(p.pid(), "Rss:");
            if (r > 0) {
                rss += r;
                pss += rollup(p.pid(), "Pss:");
                n++;
            }
        }
        return new Usage(rss, pss, n);
    }

    /** A field of /proc/PID/smaps_rollup in bytes; 0 if the process is gone. */
    static long rollup(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
