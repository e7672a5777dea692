package dev.imperium.cgi;

import dev.imperium.control.WorkerMessage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a CGI script's environment (RFC 3875 §4.1) the way uWSGI's CGI plugin does ({@code uwsgi_cgi_run}). Pure.
 *
 * <ol>
 *   <li>the worker's own environment ({@code PATH}, {@code LANG}, {@code env} options ...), less the variables that
 *       link a worker to its master;</li>
 *   <li>every request variable, overriding: what the front server sent (nginx's {@code uwsgi_params}), or, for a
 *       request that arrived as HTTP, the variables uWSGI's {@code http-socket} makes ({@code REQUEST_METHOD},
 *       {@code REQUEST_URI}, {@code PATH_INFO}, {@code QUERY_STRING}, {@code SERVER_PROTOCOL}, {@code SCRIPT_NAME},
 *       {@code SERVER_NAME}, {@code SERVER_PORT}, {@code REMOTE_ADDR}, {@code CONTENT_TYPE},
 *       {@code CONTENT_LENGTH}, {@code HTTP_*});</li>
 *   <li>unless already set: {@code GATEWAY_INTERFACE=CGI/1.1}, {@code SERVER_SOFTWARE}, {@code REDIRECT_STATUS=200}
 *       (for PHP);</li>
 *   <li>{@code PATH_INFO} and {@code PATH_TRANSLATED} ({@code DOCUMENT_ROOT} or the script's directory, then the
 *       path info) when the script has a path info; both removed otherwise;</li>
 *   <li>{@code DOCUMENT_ROOT} (the directory of scripts; for a {@code cgi} naming one script, the worker's
 *       directory) and {@code SCRIPT_FILENAME} unless the front server sent them; {@code SCRIPT_NAME} (the
 *       mountpoint and the script's path under its directory);</li>
 *   <li>the {@code cgi-unset} variables removed; an {@code HTTP_PROXY} request variable is not passed on (the
 *       worker's own stays): a client's {@code Proxy} header must not become the proxy of the HTTP libraries the
 *       script uses ("httpoxy", CVE-2016-5385; uWSGI passes it on).</li>
 * </ol>
 */
public final class CgiEnvironment {
    /** What a script never inherits from its worker: the worker's link to its master. */
    static final Set<String> PRIVATE = Set.of(WorkerMessage.ENV_SOCKET, WorkerMessage.ENV_TOKEN,
            WorkerMessage.ENV_SCOREBOARD, WorkerMessage.ENV_PROTOCOLS);

    private CgiEnvironment() {
    }

    /**
     * Builds the environment.
     *
     * @param inherited the worker's environment
     * @param request the request variables, decoded
     * @param script the script and what the path said about it
     * @param serverSoftware the {@code SERVER_SOFTWARE} value, e.g. {@code Imperium/1.0}
     * @param workDir the worker's directory ({@code DOCUMENT_ROOT} for a {@code cgi} naming one script)
     * @param unset the {@code cgi-unset} names
     * @return a new map
     */
    public static Map<String, String> build(Map<String, String> inherited, Map<String, String> request,
            CgiTarget.Script script, String serverSoftware, String workDir, List<String> unset) {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        env.keySet().removeAll(PRIVATE);
        env.putAll(request);
        env.putIfAbsent("GATEWAY_INTERFACE", "CGI/1.1");
        env.putIfAbsent("SERVER_SOFTWARE", serverSoftware);
        env.putIfAbsent("REDIRECT_STATUS", "200");
        if (script.pathInfo() != null) {
            String documentRoot = request.get("DOCUMENT_ROOT");
            String base = documentRoot != null && !documentRoot.isEmpty() ? documentRoot
                    : script.documentRoot().toString();
            env.put("PATH_INFO", script.pathInfo());
            env.put("PATH_TRANSLATED", base + script.pathInfo());
        } else {
            env.remove("PATH_INFO");
            env.remove("PATH_TRANSLATED");
        }
        env.putIfAbsent("DOCUMENT_ROOT", script.singleFile() ? workDir : script.documentRoot().toString());
        env.putIfAbsent("SCRIPT_FILENAME", script.file().toString());
        if (script.scriptName() != null) {
            env.put("SCRIPT_NAME", script.scriptName());
        }
        for (String name : unset) {
            env.remove(name);
        }
        if (request.containsKey("HTTP_PROXY")) {
            String own = inherited.get("HTTP_PROXY");
            if (own == null) {
                env.remove("HTTP_PROXY");
            } else {
                env.put("HTTP_PROXY", own);
            }
        }
        return env;
    }
}
