package dev.imperium.statics;

import java.util.Optional;

/**
 * One place static files come from: a {@code static-map} mountpoint or a {@code check-static} directory, and the
 * rule that maps a request path onto it.
 *
 * <p>Mountpoints match on whole path segments: {@code /static} matches {@code /static} and {@code /static/...} but
 * not {@code /staticfoo} (uWSGI compares a bare prefix and would map {@code /staticfoo} to {@code <dir>/foo}); a
 * mountpoint ending in {@code /} matches any path under it. A mountpoint mapped to a single file serves that file
 * for the mountpoint path only (uWSGI serves it for any path starting with the mountpoint).
 *
 * <p>A {@code static-map2} mount matches the same paths, but looks the whole path up under its root
 * ({@code /images/logo.png} → {@code ROOT/images/logo.png}), as uWSGI's {@code static_maps2} do.
 *
 * @param mountpoint the URL prefix, or null for {@code check-static} (the whole {@code PATH_INFO} is appended)
 * @param root where files come from
 * @param wholePath true for {@code static-map2}: the whole request path, not the part after the mountpoint, is looked
 *     up under the root
 */
record StaticMount(String mountpoint, DocRoot root, boolean wholePath) {

    /**
     * Returns the part of {@code path} to look up under the root, or empty if this mount does not apply.
     *
     * @param path the decoded request path ({@code PATH_INFO})
     * @param rootIsFile whether the root resolved to a regular file
     */
    Optional<String> remainder(String path, boolean rootIsFile) {
        if (mountpoint == null) {
            return Optional.of(path);
        }
        if (path.equals(mountpoint)) {
            return Optional.of(wholePath && !rootIsFile ? path : "");
        }
        if (rootIsFile) {
            return Optional.empty();
        }
        boolean under = mountpoint.endsWith("/")
                ? path.startsWith(mountpoint)
                : path.startsWith(mountpoint) && path.charAt(mountpoint.length()) == '/';
        if (!under) {
            return Optional.empty();
        }
        return Optional.of(wholePath ? path : path.substring(mountpoint.length()));
    }
}
