package dev.imperium.jwsgi;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's host name as {@code gethostname(2)} gives it, which uWSGI puts in {@code SERVER_NAME}. */
public final class Hostname {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private Hostname() {
    }

    /**
     * Returns the kernel's host name (Linux: {@code /proc/sys/kernel/hostname}, the value {@code gethostname(2)}
     * returns), else the JDK's local host name, else {@code localhost}. Never does a DNS lookup on Linux.
     */
    public static String get() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException e) {
            // not Linux: fall back to the JDK
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
