package dev.imperium.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about processes that {@link ProcessHandle} does not tell. Linux: reads {@code /proc}. */
public final class Processes {
    private Processes() {
    }

    /**
     * Returns true if {@code pid} is running: it exists and is not a zombie (a process that exited but that its
     * parent has not collected yet, which {@link ProcessHandle#isAlive()} still reports as alive).
     *
     * @param pid the process id
     */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
