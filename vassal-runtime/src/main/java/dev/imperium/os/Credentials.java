package dev.imperium.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.ValueLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * User and group lookups through the C library (so NSS sources such as LDAP count, as for uWSGI's
 * {@code getpwnam}) and the privilege drop a worker does at start: {@code setgroups}/{@code initgroups},
 * {@code setgid}, {@code setuid}, in that order (uWSGI {@code core/utils.c uwsgi_as_root}).
 *
 * <p>glibc applies these calls to every thread of the process (its {@code SIGSETXID} broadcast), which is what makes
 * them safe in a JVM that already runs threads. Linux only (the {@code struct passwd}/{@code group} offsets are
 * glibc's on 64-bit).
 */
public final class Credentials {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** {@code pw_uid}/{@code pw_gid} follow two pointers in {@code struct passwd}; {@code gr_gid} likewise. */
    private static final long ID_OFFSET = 16;
    private static final int PR_SET_DUMPABLE = 4;

    private static final MethodHandle GETPWNAM = plain("getpwnam", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle GETPWUID = plain("getpwuid", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETGRNAM = plain("getgrnam", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle GETEUID = plain("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SETGID = capturing("setgid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETUID = capturing("setuid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETGROUPS = capturing("setgroups",
            FunctionDescriptor.of(JAVA_INT, ValueLayout.JAVA_LONG, ADDRESS));
    private static final MethodHandle INITGROUPS = capturing("initgroups",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle PRCTL = capturing("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ValueLayout.JAVA_LONG));

    private Credentials() {
    }

    /** A user or group: its numeric id and its name (null when the id has no entry). */
    public record Id(int id, String name) {
    }

    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    private static MethodHandle capturing(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** Returns the effective user id ({@code geteuid(2)}). */
    public static int effectiveUid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("geteuid failed", t);
        }
    }

    /**
     * Looks a user up by name or number, as uWSGI's {@code uid} option: a number is taken as is (its name looked up
     * when it has one).
     *
     * @return the user, with its primary group in {@link #primaryGroup}
     * @throws IllegalArgumentException {@code user NAME not found.} (uWSGI's words) when the name is unknown
     */
    public static Id user(String nameOrNumber) {
        String text = nameOrNumber.trim();
        if (isNumber(text)) {
            int uid = Integer.parseInt(text);
            MemorySegment pw = getpwuid(uid);
            return new Id(uid, pw.equals(MemorySegment.NULL) ? null : name(pw));
        }
        MemorySegment pw = byName(GETPWNAM, text);
        if (pw.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("user " + text + " not found.");
        }
        return new Id(pw.reinterpret(ID_OFFSET + 8).get(JAVA_INT, ID_OFFSET), text);
    }

    /**
     * Returns the primary group of a user id, or -1 when the id has no entry.
     */
    public static int primaryGroup(int uid) {
        MemorySegment pw = getpwuid(uid);
        return pw.equals(MemorySegment.NULL) ? -1 : pw.reinterpret(ID_OFFSET + 8).get(JAVA_INT, ID_OFFSET + 4);
    }

    /**
     * Looks a group up by name or number, as uWSGI's {@code gid} option.
     *
     * @throws IllegalArgumentException {@code group NAME not found.} (uWSGI's words) when the name is unknown
     */
    public static Id group(String nameOrNumber) {
        String text = nameOrNumber.trim();
        if (isNumber(text)) {
            return new Id(Integer.parseInt(text), null);
        }
        MemorySegment gr = byName(GETGRNAM, text);
        if (gr.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("group " + text + " not found.");
        }
        return new Id(gr.reinterpret(ID_OFFSET + 4).get(JAVA_INT, ID_OFFSET), text);
    }

    /**
     * Drops this process to {@code gid} and {@code uid}: supplementary groups first (the user's own, as
     * {@code initgroups(3)}, when {@code userName} is given; none otherwise), then the group, then the user. Either id
     * may be -1 to leave it. Afterwards the process is made dumpable again (a credential change clears it, which
     * would make {@code /proc/self} unreadable to the process itself).
     *
     * @param uid the user id, or -1
     * @param gid the group id, or -1
     * @param userName the user whose groups become the supplementary groups, or null for none
     * @throws IllegalStateException naming the call and errno when one fails (e.g. EPERM when not root)
     */
    public static void drop(int uid, int gid, String userName) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if (gid >= 0) {
                if (userName != null && uid > 0) {
                    check("initgroups", (int) INITGROUPS.invokeExact(state, arena.allocateFrom(userName), gid), state);
                } else {
                    check("setgroups", (int) SETGROUPS.invokeExact(state, 0L, MemorySegment.NULL), state);
                }
                check("setgid", (int) SETGID.invokeExact(state, gid), state);
            }
            if (uid >= 0) {
                check("setuid", (int) SETUID.invokeExact(state, uid), state);
            }
            check("prctl(PR_SET_DUMPABLE)", (int) PRCTL.invokeExact(state, PR_SET_DUMPABLE, 1L), state);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("privilege drop failed", t);
        }
    }

    private static void check(String call, int result, MemorySegment state) {
        if (result != 0) {
            throw new IllegalStateException(call + "() failed: errno " + (int) ERRNO.get(state, 0L));
        }
    }

    private static MemorySegment getpwuid(int uid) {
        try {
            return (MemorySegment) GETPWUID.invokeExact(uid);
        } catch (Throwable t) {
            throw new IllegalStateException("getpwuid failed", t);
        }
    }

    private static MemorySegment byName(MethodHandle lookup, String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (MemorySegment) lookup.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            throw new IllegalStateException("user/group lookup failed", t);
        }
    }

    private static String name(MemorySegment entry) {
        MemorySegment namePtr = entry.reinterpret(8).get(ADDRESS, 0);
        return namePtr.reinterpret(256).getString(0);
    }

    private static boolean isNumber(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
