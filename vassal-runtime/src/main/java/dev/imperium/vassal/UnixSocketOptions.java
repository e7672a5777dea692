package dev.imperium.vassal;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How the master creates UNIX socket files and other files, from uWSGI's {@code chmod-socket}, {@code chown-socket},
 * {@code umask} and {@code abstract-socket} (uwsgi-docs "Options"; {@code core/socket.c bind_to_unix},
 * {@code core/utils.c uwsgi_chown}, {@code uwsgi_mode_t}).
 *
 * @param chmodMode the permission bits a socket file gets after bind ({@code chmod-socket = 660}; {@code 1} means
 *     0666), or -1 to leave what {@code umask} gave
 * @param chownOwner {@code user[:group]} (names or numbers) the socket file is given ({@code chown-socket}), or null
 * @param umask the process's file-mode creation mask ({@code umask = 022}), or -1 to keep the inherited one
 * @param abstractAll put every UNIX socket in the abstract namespace ({@code abstract-socket})
 * @param lazyChmod {@code chmod-socket = 1}: 0666, logged as uWSGI does ({@code chmod() socket to 666 for lazy and
 *     brave users})
 */
public record UnixSocketOptions(int chmodMode, String chownOwner, int umask, boolean abstractAll, boolean lazyChmod) {
    /** Nothing set: sockets as the umask makes them. */
    public static final UnixSocketOptions NONE = new UnixSocketOptions(-1, null, -1, false, false);

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the option and where it was set, e.g. {@code invalid chmod value:
     *     75} (uWSGI's words)
     */
    public static UnixSocketOptions from(VassalConfig config) {
        int chmod = -1;
        boolean lazy = false;
        List<ConfigEntry> chmodEntries = config.entries("chmod-socket");
        if (!chmodEntries.isEmpty()) {
            ConfigEntry e = chmodEntries.getLast();
            chmod = parseChmod(e.value(), e);
            lazy = e.value().trim().equals("1");
        }
        String owner = config.value("chown-socket").map(String::trim).orElse(null);
        if (owner != null && (owner.isEmpty() || owner.startsWith(":") || owner.endsWith(":"))) {
            throw new IllegalArgumentException(config.entries("chown-socket").getLast().origin()
                    + ": chown-socket: expected USER or USER:GROUP, got '" + owner + "'");
        }
        int umask = -1;
        List<ConfigEntry> umaskEntries = config.entries("umask");
        if (!umaskEntries.isEmpty()) {
            ConfigEntry e = umaskEntries.getLast();
            umask = parseMode(e.value().trim());
            if (umask < 0) {
                throw new IllegalArgumentException(e.origin() + ": invalid umask: " + e.value().trim());
            }
        }
        return new UnixSocketOptions(chmod, owner, umask, config.flag("abstract-socket"), lazy);
    }

    private static int parseChmod(String value, ConfigEntry origin) {
        String v = value.trim();
        if (v.equals("1")) {
            return 0666;
        }
        int mode = parseMode(v);
        if (mode < 0) {
            throw new IllegalArgumentException(origin.origin() + ": invalid chmod value: " + v);
        }
        return mode;
    }

    /**
     * Parses an octal mode of three digits ({@code 660}) or four with a leading zero ({@code 0660}).
     *
     * @return the mode, or -1 if the text is no such mode
     */
    static int parseMode(String v) {
        if (v.length() == 4 && v.charAt(0) == '0') {
            v = v.substring(1);
        }
        if (v.length() != 3) {
            return -1;
        }
        int mode = 0;
        for (int i = 0; i < 3; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '7') {
                return -1;
            }
            mode = mode << 3 | (c - '0');
        }
        return mode;
    }

    /**
     * Gives a freshly bound socket file its mode and owner.
     *
     * @param socket the socket file
     * @throws IOException naming the socket and the cause when the mode or owner cannot be set, or the user or
     *     group does not exist ({@code unable to find user www-data})
     */
    public void apply(Path socket) throws IOException {
        if (chmodMode >= 0) {
            Files.setPosixFilePermissions(socket, permissions(chmodMode));
        }
        if (chownOwner != null) {
            int colon = chownOwner.indexOf(':');
            String user = colon < 0 ? chownOwner : chownOwner.substring(0, colon);
            String group = colon < 0 ? null : chownOwner.substring(colon + 1);
            UserPrincipalLookupService lookup = socket.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
            try {
                UserPrincipal owner = lookup.lookupPrincipalByName(user);
                view.setOwner(owner);
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException("unable to find user " + user);
            }
            if (group != null) {
                try {
                    GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
                    view.setGroup(g);
                } catch (UserPrincipalNotFoundException e) {
                    throw new IOException("unable to find group " + group);
                }
            }
        }
    }

    /** Converts mode bits (e.g. 0660) to the JDK's permission set. */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
