package dev.imperium.cgi;

import java.nio.file.Path;

/** What a request's path maps to under the {@code cgi} options ({@link CgiResolver}). */
public sealed interface CgiTarget {

    /** Nothing: 404, as uWSGI answers. */
    record NotFound() implements CgiTarget {
    }

    /**
     * A file that may not run: 403, as uWSGI answers.
     *
     * @param reason what to log, or null to log nothing
     */
    record Forbidden(String reason) implements CgiTarget {
    }

    /**
     * A directory asked for without its trailing slash: 301 to {@code location}, as uWSGI answers.
     *
     * @param location the path with a {@code /} added, and the query
     */
    record AddSlash(String location) implements CgiTarget {
    }

    /**
     * A script to run.
     *
     * @param file the script, symbolic links resolved (CGI's {@code SCRIPT_FILENAME})
     * @param helper the program that runs the script ({@code cgi-helper}), or null to run the script itself
     * @param documentRoot the directory of scripts the request mapped to, or, for a {@code cgi} that names one
     *     script, that script (what uWSGI uses for {@code PATH_TRANSLATED} when the front server sends no
     *     {@code DOCUMENT_ROOT})
     * @param singleFile true when the {@code cgi} option names the script itself rather than a directory
     * @param scriptName CGI's {@code SCRIPT_NAME}, or null to keep the request's
     * @param pathInfo CGI's {@code PATH_INFO}: what follows the script in the path; null for none
     * @param directory the directory the script runs in (its own directory), or null for the worker's
     */
    record Script(Path file, String helper, Path documentRoot, boolean singleFile, String scriptName, String pathInfo,
            Path directory) implements CgiTarget {
    }
}
