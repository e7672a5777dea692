package dev.imperium.emperor.ondemand;

import java.nio.file.Path;

/**
 * Where the emperor finds the socket of an on-demand vassal (uWSGI's {@code emperor-on-demand-*} options,
 * uwsgi-docs "OnDemandVassals"; issue 7: on-demand vassals). At most one is set; with none, no vassal is on demand.
 *
 * @param extension {@code emperor-on-demand-extension}: for vassal {@code app.ini}, the first line of
 *     {@code app.ini<EXT>} names its socket; or null
 * @param directory {@code emperor-on-demand-directory}: the socket is {@code DIR/app.socket} (the vassal's name
 *     without its extension); or null
 * @param exec {@code emperor-on-demand-exec}: the first line {@code CMD "<vassal file>"} writes names its socket; or
 *     null
 */
public record OnDemandSettings(String extension, Path directory, String exec) {
    /** No vassal is on demand. */
    public static final OnDemandSettings NONE = new OnDemandSettings(null, null, null);

    /**
     * Checks that at most one source is set.
     *
     * @throws IllegalArgumentException if several are set, or one is empty
     */
    public OnDemandSettings {
        int set = (extension != null ? 1 : 0) + (directory != null ? 1 : 0) + (exec != null ? 1 : 0);
        if (set > 1) {
            throw new IllegalArgumentException("use only one of --emperor-on-demand-extension, "
                    + "--emperor-on-demand-directory and --emperor-on-demand-exec");
        }
        if (extension != null && extension.isEmpty() || exec != null && exec.isBlank()) {
            throw new IllegalArgumentException("an --emperor-on-demand option needs a value");
        }
    }

    /** Returns whether vassals may be on demand. */
    public boolean enabled() {
        return extension != null || directory != null || exec != null;
    }
}
