package dev.imperium.emperor;

import dev.imperium.os.Posix;

import java.util.List;

/**
 * SIGKILL for a vassal and everything it started. A vassal calls {@code setsid()} at start, so its pid is also its
 * process group id and {@code kill(-pid)} reaches its workers (java-platform-notes.md §2c).
 */
final class ProcessGroups {
    private ProcessGroups() {
    }

    /**
     * Kills a live vassal's process group, or the vassal alone if it has no group yet (it has not called
     * {@code setsid()}), plus any descendant that left the group. Does nothing if the process has exited, so a
     * reused pid is never hit.
     *
     * @param process the vassal process
     * @param announcedPid the pid the vassal announced in HELLO if different (a wrapper that forked), or -1
     */
    static void kill(Process process, long announcedPid) {
        if (!process.isAlive()) {
            return;
        }
        long pid = process.pid();
        List<ProcessHandle> descendants = process.descendants().toList();
        if (Posix.kill(-pid, Posix.SIGKILL) == -Posix.ESRCH) {
            Posix.kill(pid, Posix.SIGKILL);
        }
        if (announcedPid > 0 && announcedPid != pid && descendants.stream().anyMatch(d -> d.pid() == announcedPid)) {
            Posix.kill(-announcedPid, Posix.SIGKILL);
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
    }

    /**
     * After a vassal exited: kills what is left of its process group (workers orphaned by a crashed master). Only
     * when no process holds the group's pid any more, so a group led by a new process with a reused pid is never
     * hit.
     *
     * @param groupIds the vassal's pid and announced pid (values of -1 or less are skipped)
     */
    static void sweep(long... groupIds) {
        for (long pgid : groupIds) {
            if (pgid > 0 && Posix.getpgid(pgid) == -Posix.ESRCH) {
                Posix.kill(-pgid, Posix.SIGKILL);
            }
        }
    }
}
