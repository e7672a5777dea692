package dev.imperium.emperor;

import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/** A {@link LineSink} that keeps every line (stdout and stderr) for assertions and echoes it for debugging. */
final class CapturingSink implements LineSink {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void out(byte[] line) {
        add(new String(line, StandardCharsets.UTF_8));
    }

    @Override
    public void err(byte[] line) {
        add(new String(line, StandardCharsets.UTF_8));
    }

    void add(String line) {
        lines.add(line);
        System.out.println("| " + line);
    }

    /** Returns all lines so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Returns how many lines there are, to search only later ones. */
    int mark() {
        return lines.size();
    }

    /** Returns how many lines from {@code from} on match {@code regex} (found anywhere in the line). */
    long count(int from, String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.subList(Math.min(from, lines.size()), lines.size()).stream().filter(l -> p.matcher(l).find()).count();
    }

    /** Waits for a line at index {@code from} or later matching {@code regex}; returns it. */
    String await(int from, String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        String[] found = new String[1];
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                .alias("a line matching " + regex)
                .until(() -> {
                    List<String> snapshot = lines();
                    for (int i = Math.min(from, snapshot.size()); i < snapshot.size(); i++) {
                        if (p.matcher(snapshot.get(i)).find()) {
                            found[0] = snapshot.get(i);
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /** Returns the index of the first line at {@code from} or later matching {@code regex}, or -1. */
    int indexOf(int from, String regex) {
        Pattern p = Pattern.compile(regex);
        List<String> snapshot = lines();
        for (int i = Math.min(from, snapshot.size()); i < snapshot.size(); i++) {
            if (p.matcher(snapshot.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }
}
