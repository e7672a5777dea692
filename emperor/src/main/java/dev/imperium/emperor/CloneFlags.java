package dev.imperium.emperor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Issue 7: scale. uWSGI's {@code emperor-use-clone FLAGS} (Linux): each vassal starts in new namespaces. uWSGI
 * {@code clone()}s the vassal with the {@code unshare} flags named in a comma-separated list ({@code core/utils.c}
 * {@code uwsgi_build_unshare}; an unknown name is {@code unknown namespace subsystem: NAME}). A JVM cannot
 * {@code clone()} a child, so Imperium starts the vassal through util-linux's {@code unshare(1)}, which calls
 * {@code unshare(2)} with the same flags and then replaces itself with the vassal: the vassal keeps its pid and is
 * in the new namespaces from its first instruction, as after uWSGI's {@code clone()}.
 *
 * <p>What maps, and how:
 * <ul>
 *   <li>{@code net} → {@code --net}, {@code ipc} → {@code --ipc}, {@code uts} → {@code --uts}: the same
 *       namespaces.</li>
 *   <li>{@code ns}, {@code fs}, {@code mount}, {@code mnt} → {@code --mount --propagation unchanged}: a new mount
 *       namespace whose mounts keep their propagation, as after {@code clone(CLONE_NEWNS)} (unshare's own default
 *       would make them private).</li>
 *   <li>{@code user} → {@code --user --map-root-user}: a new user namespace in which the vassal is root (uid 0
 *       mapped to the emperor's user). uWSGI's vassal calls {@code setuid(0)} in it, which works only with such a
 *       mapping.</li>
 * </ul>
 * What does not, and is refused with the reason:
 * <ul>
 *   <li>{@code pid}: after {@code clone(CLONE_NEWPID)} the vassal is pid 1 of its namespace. unshare can only do that
 *       by forking ({@code --fork}) and staying as the vassal's parent: the emperor would then supervise, signal and
 *       see the pid of unshare, not of the vassal, and the vassal's own pid would be 1.</li>
 *   <li>{@code files}, {@code io}, {@code parent}, {@code sysvsem}: {@code clone()} flags that share something
 *       with the emperor (its descriptor table, I/O context, parent, semaphore undo list), not namespaces; a child a
 *       JVM starts cannot share them, and {@code parent} would make the vassal no child of the emperor.</li>
 * </ul>
 *
 * @param names the flag names as given, without duplicates, in order
 */
public record CloneFlags(List<String> names) {
    /** No flags: vassals start in the emperor's namespaces. */
    public static final CloneFlags NONE = new CloneFlags(List.of());

    /** Copies the list. */
    public CloneFlags {
        names = List.copyOf(names);
    }

    /** Returns whether any flag is set. */
    public boolean enabled() {
        return !names.isEmpty();
    }

    /**
     * Parses uWSGI's comma-separated list ({@code net,ipc,uts}).
     *
     * @param value the option's value
     * @return the flags
     * @throws IllegalArgumentException for an unknown name ({@code unknown namespace subsystem: NAME}, uWSGI's
     *     words) and for a name that Imperium cannot honour, with why
     */
    public static CloneFlags parse(String value) {
        Set<String> names = new LinkedHashSet<>();
        for (String raw : value.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            switch (name) {
                case "net", "ipc", "uts", "ns", "fs", "mount", "mnt", "user" -> names.add(name);
                case "pid" -> throw new IllegalArgumentException("emperor-use-clone: pid is not supported: a new pid"
                        + " namespace makes the vassal pid 1 only through a process that stays its parent"
                        + " (unshare --fork), which the emperor would supervise and signal instead of the vassal");
                case "files", "io", "parent", "sysvsem" -> throw new IllegalArgumentException("emperor-use-clone: "
                        + name + " is not supported: it is a clone() flag that shares the emperor's "
                        + switch (name) {
                            case "files" -> "descriptor table";
                            case "io" -> "I/O context";
                            case "parent" -> "parent (the vassal would not be the emperor's child)";
                            default -> "System V semaphore undo list";
                        } + " with the vassal, not a namespace; a JVM cannot start a child that shares it");
                default -> throw new IllegalArgumentException("unknown namespace subsystem: " + name
                        + " (emperor-use-clone takes net, ipc, uts, mount (ns, fs, mnt), user)");
            }
        }
        return new CloneFlags(List.copyOf(names));
    }

    /**
     * Returns the {@code unshare(1)} options, without the program: {@code --net --ipc ... --}.
     */
    public List<String> unshareOptions() {
        Set<String> options = new LinkedHashSet<>();
        for (String name : names) {
            switch (name) {
                case "net" -> options.add("--net");
                case "ipc" -> options.add("--ipc");
                case "uts" -> options.add("--uts");
                case "ns", "fs", "mount", "mnt" -> {
                    options.add("--mount");
                    options.add("--propagation");
                    options.add("unchanged");
                }
                case "user" -> {
                    options.add("--user");
                    options.add("--map-root-user");
                }
                default -> throw new IllegalStateException(name);
            }
        }
        return List.copyOf(options);
    }

    /**
     * Returns {@code command} run in new namespaces: {@code unshare OPTIONS -- COMMAND...}.
     *
     * @param unshare the unshare program
     * @param command the vassal's command line
     */
    public List<String> wrap(String unshare, List<String> command) {
        List<String> wrapped = new ArrayList<>();
        wrapped.add(unshare);
        wrapped.addAll(unshareOptions());
        wrapped.add("--");
        wrapped.addAll(command);
        return List.copyOf(wrapped);
    }
}
