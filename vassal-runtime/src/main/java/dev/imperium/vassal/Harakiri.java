package dev.imperium.vassal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * When and how the master kills a worker stuck in a request ({@code harakiri}, {@code harakiri-graceful-timeout},
 * {@code harakiri-graceful-signal}, {@code harakiri-verbose}; uWSGI 2.0 {@code uwsgi_master_check_harakiri} and
 * {@code trigger_harakiri}, uwsgi-docs "Options"). The first attempt comes once a request has run longer than
 * {@code harakiri} seconds: the graceful signal when a graceful timeout is set, else SIGKILL. A second attempt,
 * SIGKILL, comes when the worker still runs the graceful timeout later. Decisions and log texts only; the master
 * sends the signals.
 */
final class Harakiri {
    /**
     * One attempt on a worker.
     *
     * @param number 1 for the first attempt, 2 for the SIGKILL after a graceful one
     * @param core the core whose request ran too long (for the second attempt: the first busy core, or 0)
     * @param graceful whether this attempt sends the graceful signal rather than SIGKILL
     */
    record Attempt(int number, int core, boolean graceful) {
    }

    private Harakiri() {
    }

    /**
     * Returns the attempt due on a worker now, or null.
     *
     * @param limitSeconds {@code harakiri} (0 = off)
     * @param gracefulTimeoutSeconds {@code harakiri-graceful-timeout} (0 = the first attempt is SIGKILL)
     * @param tries the attempts made on this worker so far
     * @param nextMillis when the second attempt is due (epoch ms), after a graceful first one; else 0
     * @param starts the start (epoch ms, 0 when idle) of each core's request
     * @param nowMillis the time now (epoch ms)
     */
    static Attempt due(int limitSeconds, int gracefulTimeoutSeconds, int tries, long nextMillis, long[] starts,
            long nowMillis) {
        if (limitSeconds <= 0) {
            return null;
        }
        if (tries == 0) {
            for (int core = 0; core < starts.length; core++) {
                if (starts[core] > 0 && nowMillis - starts[core] > limitSeconds * 1000L) {
                    return new Attempt(1, core, gracefulTimeoutSeconds > 0);
                }
            }
            return null;
        }
        if (tries == 1 && nextMillis > 0 && nowMillis >= nextMillis) {
            int core = 0;
            for (int c = 0; c < starts.length; c++) {
                if (starts[c] > 0) {
                    core = c;
                    break;
                }
            }
            return new Attempt(2, core, false);
        }
        return null;
    }

    /**
     * Returns uWSGI's {@code harakiri-verbose} lines for a process: its current system call and wait channel
     * ({@code /proc/PID/syscall}, {@code /proc/PID/wchan}), those that can be read.
     */
    static List<String> procLines(long pid) {
        List<String> lines = new ArrayList<>(2);
        String syscall = readProc(pid, "syscall");
        if (syscall != null) {
            lines.add("HARAKIRI: -- syscall> " + syscall);
        }
        String wchan = readProc(pid, "wchan");
        if (wchan != null) {
            lines.add("HARAKIRI: -- wchan> " + wchan);
        }
        return lines;
    }

    private static String readProc(long pid, String name) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), name), StandardCharsets.ISO_8859_1);
            text = text.strip();
            return text.isEmpty() ? null : text;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Returns the worker's account of a stuck request, as uWSGI's {@code what_i_am_doing} line followed by the Java
     * stack of the thread serving it ({@code harakiri-verbose}): {@code HARAKIRI: --- uWSGI worker 1 core 0 (pid: 42)
     * WAS managing request /slow since Tue Nov 24 23:28:38 2026 ---}, then {@code \tat ...} lines.
     *
     * @param worker the worker id
     * @param core the core
     * @param pid the worker's pid
     * @param description the scoreboard's description, {@code "ADDR - METHOD URI"}
     * @param startMillis the request's start (epoch ms)
     * @param stack the stack of the thread serving it (may be empty)
     */
    static List<String> stuckRequestLines(int worker, int core, long pid, String description, long startMillis,
            StackTraceElement[] stack) {
        List<String> lines = new ArrayList<>(stack.length + 1);
        String since = Log.ctime(LocalDateTime.ofInstant(Instant.ofEpochMilli(startMillis), ZoneId.systemDefault()));
        lines.add("HARAKIRI: --- uWSGI worker " + worker + " core " + core + " (pid: " + pid + ") WAS managing request "
                + uri(description) + " since " + since + " ---");
        for (StackTraceElement frame : stack) {
            lines.add("\tat " + frame);
        }
        return lines;
    }

    /** Returns the URI of a scoreboard description ({@code "ADDR - METHOD URI"}), or the description itself. */
    static String uri(String description) {
        int dash = description.indexOf(" - ");
        if (dash < 0) {
            return description;
        }
        String request = description.substring(dash + 3);
        int space = request.indexOf(' ');
        return space < 0 ? request : request.substring(space + 1);
    }
}
