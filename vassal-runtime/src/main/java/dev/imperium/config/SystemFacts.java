package dev.imperium.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.function.Supplier;

/**
 * Facts about the running process that magic variables and {@code if-hostname} need, each computed on first use
 * only (so a config that does not use {@code %U} never looks up a user name). Thread-safe.
 */
final class SystemFacts {
    private static final Path PROC_SELF = Path.of("/proc/self");

    private final Supplier<String> hostname = memo(SystemFacts::findHostname);
    private final Supplier<PosixFileAttributes> self = memo(SystemFacts::selfAttributes);

    String hostname() {
        return hostname.get();
    }

    /** The process owner's uid, or empty when unknown. */
    String uid() {
        return unixAttribute("unix:uid");
    }

    /** The process owner's gid, or empty when unknown. */
    String gid() {
        return unixAttribute("unix:gid");
    }

    /** The process owner's user name, falling back to the uid as uWSGI does. */
    String userName() {
        PosixFileAttributes attributes = self.get();
        return attributes != null ? attributes.owner().getName() : System.getProperty("user.name", uid());
    }

    /** The process owner's group name, falling back to the gid as uWSGI does. */
    String groupName() {
        PosixFileAttributes attributes = self.get();
        return attributes != null ? attributes.group().getName() : gid();
    }

    int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The executable running this process (the {@code java} binary), or empty. */
    String binary() {
        return ProcessHandle.current().info().command().orElse("");
    }

    private String unixAttribute(String name) {
        try {
            return String.valueOf(Files.getAttribute(PROC_SELF, name));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "";
        }
    }

    private static PosixFileAttributes selfAttributes() {
        try {
            return Files.readAttributes(PROC_SELF, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String findHostname() {
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        return new Supplier<>() {
            private boolean done;
            private T value;

            @Override
            public synchronized T get() {
                if (!done) {
                    value = supplier.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
