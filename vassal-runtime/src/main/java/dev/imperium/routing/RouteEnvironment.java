package dev.imperium.routing;

import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.statics.MimeTypes;

import java.util.function.Consumer;

/**
 * What routing needs from the worker it runs in. Thread-safe.
 *
 * @param mimeTypes the MIME types ({@code mimefile}), for {@code ${mime[...]}} and {@code static:}
 * @param workerId the worker's number, for {@code ${uwsgi[wid]}}
 * @param pid the worker's process id, for {@code ${uwsgi[pid]}}
 * @param vars derives an HTTP request's CGI variables
 * @param log where {@code log:} lines and routing errors go
 * @param htpasswd the htpasswd files of {@code basicauth}
 */
public record RouteEnvironment(MimeTypes mimeTypes, int workerId, long pid, JwsgiEnvBuilder vars,
        Consumer<String> log, Htpasswd htpasswd) {

    /**
     * Creates the environment of a worker.
     *
     * @param mimeTypes the MIME types
     * @param workerId the worker's number
     * @param log the worker's log
     */
    public static RouteEnvironment of(MimeTypes mimeTypes, int workerId, Consumer<String> log) {
        return new RouteEnvironment(mimeTypes, workerId, ProcessHandle.current().pid(), JwsgiEnvBuilder.forThisHost(),
                log, new Htpasswd(log));
    }
}
