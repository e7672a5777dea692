package dev.imperium.cgi;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CgiResolverTest {
    @TempDir
    Path dir;
    private Path bin;

    @BeforeEach
    void scripts() throws IOException {
        bin = Files.createDirectories(dir.resolve("cgi-bin")).toRealPath();
        script(bin.resolve("env.sh"));
        Files.createDirectories(bin.resolve("sub"));
        script(bin.resolve("sub/index.sh"));
        Files.writeString(bin.resolve("plain.py"), "print()\n");
        Files.writeString(dir.resolve("outside.sh"), "#!/bin/sh\n");
    }

    private static void script(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private CgiResolver resolver(List<String> cgi, List<String> helpers, List<String> allowed, List<String> index,
            List<String> safe) {
        return new CgiResolver(CgiConfig.parse(cgi, helpers, allowed, index, List.of(), safe, 0, 0, false, false,
                false), dir);
    }

    private CgiResolver mounted() {
        return resolver(List.of("/cgi-bin=" + bin), List.of(), List.of(), List.of("index.sh"), List.of());
    }

    @Test
    void walksToTheScriptAndGivesTheRestAsPathInfo() {
        CgiTarget target = mounted().resolve("/cgi-bin/env.sh/extra/path", null, "");
        assertThat(target).isEqualTo(new CgiTarget.Script(bin.resolve("env.sh"), null, bin, false,
                "/cgi-bin/env.sh", "/extra/path", bin));
        CgiTarget.Script bare = (CgiTarget.Script) mounted().resolve("/cgi-bin/env.sh", null, "");
        assertThat(bare.pathInfo()).isNull();
        assertThat(((CgiTarget.Script) mounted().resolve("/cgi-bin/env.sh/", null, "")).pathInfo())
                .as("a lone trailing slash is no path info, as in uWSGI").isNull();
    }

    @Test
    void aDirectoryGetsItsSlashThenItsIndex() {
        assertThat(mounted().resolve("/cgi-bin/sub", null, "a=1")).isEqualTo(new CgiTarget.AddSlash("/cgi-bin/sub/?a=1"));
        assertThat(mounted().resolve("/cgi-bin", null, "")).isEqualTo(new CgiTarget.AddSlash("/cgi-bin/"));
        CgiTarget.Script index = (CgiTarget.Script) mounted().resolve("/cgi-bin/sub/", null, "");
        assertThat(index.file()).isEqualTo(bin.resolve("sub/index.sh"));
        assertThat(index.scriptName()).isEqualTo("/cgi-bin/sub/index.sh");
        assertThat(resolver(List.of("/cgi-bin=" + bin), List.of(), List.of(), List.of(), List.of())
                .resolve("/cgi-bin/sub/", null, "")).isEqualTo(new CgiTarget.NotFound());
    }

    @Test
    void missingPathsAndOtherPrefixesAreNotFound() {
        assertThat(mounted().resolve("/cgi-bin/missing.sh", null, "")).isEqualTo(new CgiTarget.NotFound());
        assertThat(mounted().resolve("/cgi-bin/missing/x.sh", null, "")).isEqualTo(new CgiTarget.NotFound());
        assertThat(mounted().resolve("/other", null, "")).isEqualTo(new CgiTarget.NotFound());
        assertThat(mounted().resolve("/cgi-binx/env.sh", null, "")).as("whole segments only")
                .isEqualTo(new CgiTarget.NotFound());
    }

    @Test
    void aFileThatCannotRunIsForbiddenUnlessAHelperRunsIt() {
        CgiTarget target = mounted().resolve("/cgi-bin/plain.py", null, "");
        assertThat(target).isInstanceOf(CgiTarget.Forbidden.class);
        assertThat(((CgiTarget.Forbidden) target).reason()).contains("Permission denied");
        CgiTarget.Script helped = (CgiTarget.Script) resolver(List.of("/cgi-bin=" + bin), List.of(".py=python3"),
                List.of(), List.of(), List.of()).resolve("/cgi-bin/plain.py", null, "");
        assertThat(helped.helper()).isEqualTo("python3");
    }

    @Test
    void allowedExtensionsLimitWhatRuns() {
        CgiResolver onlyPy = resolver(List.of("/cgi-bin=" + bin), List.of(".py=python3"), List.of(".py"), List.of(),
                List.of());
        assertThat(onlyPy.resolve("/cgi-bin/env.sh", null, "")).isEqualTo(new CgiTarget.Forbidden(null));
        assertThat(onlyPy.resolve("/cgi-bin/plain.py", null, "")).isInstanceOf(CgiTarget.Script.class);
    }

    @Test
    void aSymlinkOutOfTheDirectoryIsASecurityErrorUnlessSafe() throws IOException {
        Files.createSymbolicLink(bin.resolve("escape.sh"), dir.resolve("outside.sh"));
        script(dir.resolve("outside.sh"));
        CgiTarget refused = mounted().resolve("/cgi-bin/escape.sh", null, "");
        assertThat(((CgiTarget.Forbidden) refused).reason()).startsWith("CGI security error: ")
                .contains("is not under " + bin);
        CgiTarget safe = resolver(List.of("/cgi-bin=" + bin), List.of(), List.of(), List.of(),
                List.of(dir.toRealPath().toString())).resolve("/cgi-bin/escape.sh", null, "");
        assertThat(safe).isInstanceOf(CgiTarget.Script.class);
        assertThat(mounted().resolve("/cgi-bin/../outside.sh", null, "")).isInstanceOf(CgiTarget.Forbidden.class);
    }

    @Test
    void aSingleScriptGetsThePathAfterItsMountpoint() {
        CgiResolver single = resolver(List.of("/single=" + bin.resolve("env.sh")), List.of(), List.of(), List.of(),
                List.of());
        CgiTarget.Script script = (CgiTarget.Script) single.resolve("/single/x/y", null, "");
        assertThat(script.singleFile()).isTrue();
        assertThat(script.file()).isEqualTo(bin.resolve("env.sh"));
        assertThat(script.scriptName()).isEqualTo("/single");
        assertThat(script.pathInfo()).isEqualTo("/x/y");
        assertThat(script.directory()).isNull();
    }

    @Test
    void theDefaultPathTakesWhatNoMountpointDoesAndTheLongestMountpointWins() throws IOException {
        Path other = Files.createDirectories(dir.resolve("other")).toRealPath();
        script(other.resolve("env.sh"));
        CgiResolver resolver = resolver(List.of(bin.toString(), "/a=" + other, "/a/b=" + bin), List.of(), List.of(),
                List.of(), List.of());
        CgiTarget.Script byDefault = (CgiTarget.Script) resolver.resolve("/env.sh", null, "");
        assertThat(byDefault.file()).isEqualTo(bin.resolve("env.sh"));
        assertThat(byDefault.scriptName()).isEqualTo("/env.sh");
        assertThat(((CgiTarget.Script) resolver.resolve("/a/env.sh", null, "")).file())
                .isEqualTo(other.resolve("env.sh"));
        CgiTarget.Script longest = (CgiTarget.Script) resolver.resolve("/a/b/env.sh", null, "");
        assertThat(longest.file()).isEqualTo(bin.resolve("env.sh"));
        assertThat(longest.scriptName()).isEqualTo("/a/b/env.sh");
    }

    @Test
    void relativePathsResolveAgainstTheWorkersDirectory() {
        CgiTarget.Script script = (CgiTarget.Script) resolver(List.of("/c=cgi-bin"), List.of(), List.of(), List.of(),
                List.of()).resolve("/c/env.sh", null, "");
        assertThat(script.file()).isEqualTo(bin.resolve("env.sh"));
    }

    @Test
    void fromDocrootRunsTheScriptsOfTheRequestsDocumentRoot() {
        CgiResolver resolver = new CgiResolver(CgiConfig.parse(List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), 0, 0, false, true, false), dir);
        assertThat(((CgiTarget.Script) resolver.resolve("/env.sh", bin.toString(), "")).file())
                .isEqualTo(bin.resolve("env.sh"));
        assertThat(resolver.resolve("/env.sh", null, "")).isEqualTo(new CgiTarget.NotFound());
    }

    @Test
    void optimizeChecksThePathsAtStartUp() {
        assertThatThrownBy(() -> new CgiResolver(CgiConfig.parse(List.of("/x=/no/such/dir"), List.of(), List.of(),
                List.of(), List.of(), List.of(), 0, 0, true, false, false), dir))
                .hasMessage("unable to find CGI path /no/such/dir");
        CgiResolver optimized = new CgiResolver(CgiConfig.parse(List.of("/cgi-bin=" + bin), List.of(), List.of(),
                List.of(), List.of(), List.of(), 0, 0, true, false, false), dir);
        assertThat(optimized.resolve("/cgi-bin/env.sh", null, "")).isInstanceOf(CgiTarget.Script.class);
    }
}
