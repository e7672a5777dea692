package dev.imperium.cgi;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CgiEnvironmentTest {
    private static final Map<String, String> WORKER = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8",
            "IMPERIUM_WORKER_TOKEN", "secret", "IMPERIUM_MASTER_SOCKET", "/run/x.sock", "IMPERIUM_RELOADS", "0");
    private static final Map<String, String> REQUEST = Map.of("REQUEST_METHOD", "GET", "REQUEST_URI",
            "/cgi-bin/env.sh/extra?q=1", "PATH_INFO", "/cgi-bin/env.sh/extra", "QUERY_STRING", "q=1",
            "SCRIPT_NAME", "", "SERVER_NAME", "host", "HTTP_HOST", "example");
    private static final CgiTarget.Script IN_DIRECTORY = new CgiTarget.Script(Path.of("/srv/cgi/env.sh"), null,
            Path.of("/srv/cgi"), false, "/cgi-bin/env.sh", "/extra", Path.of("/srv/cgi"));

    private static Map<String, String> build(Map<String, String> request, CgiTarget.Script script,
            List<String> unset) {
        return CgiEnvironment.build(WORKER, request, script, "Imperium/1.0", "/srv/app", unset);
    }

    @Test
    void addsWhatUwsgiAddsForAScriptInADirectory() {
        Map<String, String> env = build(REQUEST, IN_DIRECTORY, List.of());
        assertThat(env).containsEntry("GATEWAY_INTERFACE", "CGI/1.1")
                .containsEntry("SERVER_SOFTWARE", "Imperium/1.0")
                .containsEntry("REDIRECT_STATUS", "200")
                .containsEntry("PATH_INFO", "/extra")
                .containsEntry("PATH_TRANSLATED", "/srv/cgi/extra")
                .containsEntry("DOCUMENT_ROOT", "/srv/cgi")
                .containsEntry("SCRIPT_FILENAME", "/srv/cgi/env.sh")
                .containsEntry("SCRIPT_NAME", "/cgi-bin/env.sh")
                .containsEntry("REQUEST_URI", "/cgi-bin/env.sh/extra?q=1")
                .containsEntry("QUERY_STRING", "q=1")
                .containsEntry("HTTP_HOST", "example")
                .containsEntry("PATH", "/usr/bin:/bin")
                .containsEntry("IMPERIUM_RELOADS", "0");
    }

    @Test
    void neverPassesTheWorkersLinkToItsMaster() {
        assertThat(build(REQUEST, IN_DIRECTORY, List.of())).doesNotContainKeys("IMPERIUM_WORKER_TOKEN",
                "IMPERIUM_MASTER_SOCKET");
    }

    @Test
    void withoutPathInfoBothPathVariablesAreRemoved() {
        CgiTarget.Script noPathInfo = new CgiTarget.Script(Path.of("/srv/cgi/env.sh"), null, Path.of("/srv/cgi"),
                false, "/cgi-bin/env.sh", null, Path.of("/srv/cgi"));
        assertThat(build(REQUEST, noPathInfo, List.of())).doesNotContainKeys("PATH_INFO", "PATH_TRANSLATED");
    }

    @Test
    void theFrontServersValuesWinWhereUwsgiKeepsThem() {
        Map<String, String> nginx = new java.util.HashMap<>(REQUEST);
        nginx.put("DOCUMENT_ROOT", "/var/www");
        nginx.put("SCRIPT_FILENAME", "/var/www/x");
        nginx.put("SERVER_SOFTWARE", "nginx");
        Map<String, String> env = build(nginx, IN_DIRECTORY, List.of());
        assertThat(env).containsEntry("DOCUMENT_ROOT", "/var/www")
                .containsEntry("SCRIPT_FILENAME", "/var/www/x")
                .containsEntry("SERVER_SOFTWARE", "nginx")
                .containsEntry("PATH_TRANSLATED", "/var/www/extra")
                .containsEntry("SCRIPT_NAME", "/cgi-bin/env.sh");
    }

    @Test
    void aSingleScriptGetsTheWorkersDirectoryAsDocumentRootAndKeepsTheRequestsScriptName() {
        CgiTarget.Script single = new CgiTarget.Script(Path.of("/srv/cgi/env.sh"), null, Path.of("/srv/cgi/env.sh"),
                true, null, "/x/y", null);
        Map<String, String> env = build(REQUEST, single, List.of());
        assertThat(env).containsEntry("DOCUMENT_ROOT", "/srv/app")
                .containsEntry("SCRIPT_FILENAME", "/srv/cgi/env.sh")
                .containsEntry("SCRIPT_NAME", "")
                .containsEntry("PATH_INFO", "/x/y")
                .containsEntry("PATH_TRANSLATED", "/srv/cgi/env.sh/x/y");
    }

    @Test
    void unsetRemovesAndAClientsProxyHeaderIsNeverPassedOn() {
        Map<String, String> request = new java.util.HashMap<>(REQUEST);
        request.put("HTTP_PROXY", "http://evil:8080");
        Map<String, String> env = build(request, IN_DIRECTORY, List.of("HTTP_HOST", "LANG"));
        assertThat(env).doesNotContainKeys("HTTP_HOST", "LANG", "HTTP_PROXY");
    }
}
