package dev.imperium.statics;

import java.util.Locale;

/**
 * Who sends a static file's bytes: Imperium, or the web server in front ({@code file-serve-mode}, uwsgi-docs
 * StaticFiles.html "Transfer modes"). In the two offload modes the answer is a 200 with the file's fields, a
 * {@code X-Sendfile} or {@code X-Accel-Redirect} field naming its real path, and no body; the front server (Apache's
 * mod_xsendfile; nginx, with an {@code internal} location serving that path) sends the file and handles
 * {@code Range} itself, so Imperium does not.
 */
public enum FileServeMode {
    /** Imperium sends the file (the default). */
    RAW(null),
    /** {@code x-sendfile}/{@code xsendfile}: the {@code X-Sendfile} field. */
    X_SENDFILE("X-Sendfile"),
    /** {@code x-accel-redirect}/{@code xaccelredirect}/{@code nginx}: the {@code X-Accel-Redirect} field. */
    X_ACCEL_REDIRECT("X-Accel-Redirect");

    private final String field;

    FileServeMode(String field) {
        this.field = field;
    }

    /** Returns the response field that names the file, or null for {@link #RAW}. */
    public String field() {
        return field;
    }

    /**
     * Parses a {@code file-serve-mode} value as uWSGI 2.0 does ({@code uwsgi_opt_fileserve_mode}), ignoring case.
     *
     * @throws IllegalArgumentException for any other value (uWSGI silently keeps the default)
     */
    public static FileServeMode parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "x-sendfile", "xsendfile" -> X_SENDFILE;
            case "x-accel-redirect", "xaccelredirect", "nginx" -> X_ACCEL_REDIRECT;
            case "raw", "default" -> RAW;
            default -> throw new IllegalArgumentException("option 'file-serve-mode' needs x-sendfile, xsendfile,"
                    + " x-accel-redirect, xaccelredirect or nginx, got '" + value + "'");
        };
    }
}
