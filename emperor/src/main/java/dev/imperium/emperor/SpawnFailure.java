package dev.imperium.emperor;

import java.util.regex.Pattern;

/**
 * Issue 8: resource limits. Words for a vassal process the JDK could not start: the JDK's first line only (its
 * message goes on with a "Possible reasons" list about its spawn helper that does not apply to a full descriptor
 * table), and, when the emperor is out of file descriptors (EMFILE) or the system is (ENFILE), that cause first,
 * with what to raise.
 */
final class SpawnFailure {
    private static final Pattern EMFILE = Pattern.compile("error[:=] ?24\\b|Too many open files");
    private static final Pattern ENFILE = Pattern.compile("error[:=] ?23\\b|Too many open files in system");

    private SpawnFailure() {
    }

    /**
     * Describes why a launch failed.
     *
     * @param message the launch exception's message, or null
     * @return one line, e.g. {@code the emperor is out of file descriptors (EMFILE: raise its limit, ulimit -n or
     *     systemd's LimitNOFILE=): Cannot run program "...": error: 24 (Too many open files)}
     */
    static String describe(String message) {
        String first = message == null ? "unknown error" : message.strip().lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            first = "unknown error";
        }
        if (ENFILE.matcher(first).find()) {
            return "the system is out of file descriptors (ENFILE: raise fs.file-max): " + first;
        }
        if (EMFILE.matcher(first).find()) {
            return "the emperor is out of file descriptors (EMFILE: raise its limit, ulimit -n or systemd's "
                    + "LimitNOFILE=): " + first;
        }
        return first;
    }
}
