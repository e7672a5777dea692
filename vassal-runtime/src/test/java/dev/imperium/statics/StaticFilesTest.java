package dev.imperium.statics;

import dev.imperium.apps.FakeExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticFilesTest {
    private static final Instant MODIFIED = Instant.parse("2024-01-02T03:04:05Z");
    private static final String MIME = "text/html html\ntext/css css\ntext/plain txt\n";

    @TempDir
    Path dir;
    Path www;
    Path outside;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void files() throws IOException {
        www = Files.createDirectories(dir.resolve("www"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(www.resolve("sub"));
        Files.createDirectories(www.resolve("empty"));
        write(www.resolve("index.html"), "<h1>home</h1>\n");
        write(www.resolve("a.css"), "body{}\n");
        write(www.resolve("sub/t.txt"), "plain\n");
        write(www.resolve("sub/index.html"), "<p>sub</p>\n");
        write(www.resolve("README"), "no extension\n");
        write(outside.resolve("secret.txt"), "secret\n");
        Files.writeString(dir.resolve("mime.types"), MIME);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }

    private StaticFiles statics(List<String> maps, List<String> checks, List<String> index, List<String> safe) {
        return statics(StaticSpec.builder().staticMaps(maps).checkStatic(checks).staticIndex(index).staticSafe(safe));
    }

    private StaticFiles statics(StaticSpec.Builder spec) {
        return StaticFiles.create(spec.mimeFiles(List.of("mime.types")).build(), dir, log::add);
    }

    private StaticFiles mapStatic() {
        return statics(List.of("/static=www"), List.of(), List.of("index.html"), List.of());
    }

    @Test
    void servesAMappedFileWithTypeLengthAndLastModified() throws Exception {
        FakeExchange exchange = FakeExchange.get("/static/a.css");
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseField("Content-Type")).isEqualTo("text/css");
        assertThat(exchange.responseField("Last-Modified")).isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");
        assertThat(exchange.contentLength()).isEqualTo(7);
        assertThat(exchange.responseText()).isEqualTo("body{}\n");
        assertThat(exchange.responseClosed()).isTrue();
    }

    @Test
    void sendsAFileLargerThanTheSmallFileLimitThroughZeroCopy() throws Exception {
        Files.write(www.resolve("big.txt"), new byte[SmallFileCache.MAX_FILE_BYTES + 1]);
        FakeExchange exchange = FakeExchange.get("/static/big.txt");
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.contentLength()).isEqualTo(SmallFileCache.MAX_FILE_BYTES + 1);
        assertThat(exchange.transferredBytes()).isEqualTo(SmallFileCache.MAX_FILE_BYTES + 1);
    }

    @Test
    void servesASmallFileAgainFromTheCacheWithTheSameResponse() throws Exception {
        StaticFiles statics = mapStatic();
        FakeExchange first = FakeExchange.get("/static/a.css");
        statics.handle(first);
        FakeExchange second = FakeExchange.get("/static/a.css");
        assertThat(statics.handle(second)).isTrue();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.responseField("Content-Type")).isEqualTo("text/css");
        assertThat(second.responseField("Last-Modified")).isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");
        assertThat(second.responseText()).isEqualTo("body{}\n");
        FakeExchange conditional = FakeExchange.request("GET", "/static/a.css")
                .header("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT").build();
        assertThat(statics.handle(conditional)).isTrue();
        assertThat(conditional.status()).isEqualTo(304);
    }

    @Test
    void aChangedFileIsServedFreshAfterItWasCached() throws Exception {
        StaticFiles statics = mapStatic();
        statics.handle(FakeExchange.get("/static/a.css"));
        Files.writeString(www.resolve("a.css"), "body{color:red}\n");
        FakeExchange exchange = FakeExchange.get("/static/a.css");
        assertThat(statics.handle(exchange)).isTrue();
        assertThat(exchange.responseText()).isEqualTo("body{color:red}\n");
    }

    @Test
    void aRemovedFileIsNotServedFromTheCache() throws Exception {
        StaticFiles statics = mapStatic();
        statics.handle(FakeExchange.get("/static/a.css"));
        Files.delete(www.resolve("a.css"));
        assertThat(statics.handle(FakeExchange.get("/static/a.css"))).isFalse();
    }

    @Test
    void aCachedPathWhoseSymlinkNowLeadsOutsideIsRefused() throws Exception {
        Path link = www.resolve("moving.txt");
        Files.createSymbolicLink(link, www.resolve("sub/t.txt"));
        StaticFiles statics = mapStatic();
        FakeExchange inside = FakeExchange.get("/static/moving.txt");
        assertThat(statics.handle(inside)).isTrue();
        assertThat(inside.responseText()).isEqualTo("plain\n");
        Files.delete(link);
        Files.createSymbolicLink(link, outside.resolve("secret.txt"));
        assertThat(statics.handle(FakeExchange.get("/static/moving.txt"))).isFalse();
        assertThat(log).anyMatch(line -> line.contains("security error"));
    }

    @Test
    void sendsNoContentTypeForAnUnknownExtension() throws Exception {
        FakeExchange exchange = FakeExchange.get("/static/README");
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.responseField("Content-Type")).isNull();
        assertThat(exchange.responseText()).isEqualTo("no extension\n");
    }

    @Test
    void answersHeadWithTheHeadersButNoBody() throws Exception {
        FakeExchange exchange = FakeExchange.request("HEAD", "/static/a.css").build();
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.contentLength()).isEqualTo(7);
        assertThat(exchange.responseBytes()).isEmpty();
    }

    @Test
    void declinesMethodsOtherThanGetAndHead() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
            FakeExchange exchange = FakeExchange.request(method, "/static/a.css").build();
            assertThat(mapStatic().handle(exchange)).as(method).isFalse();
            assertThat(exchange.committed()).isFalse();
        }
    }

    @Test
    void answers304WhenNotModifiedSinceTheGivenDate() throws Exception {
        FakeExchange same = FakeExchange.request("GET", "/static/a.css")
                .header("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT").build();
        assertThat(mapStatic().handle(same)).isTrue();
        assertThat(same.status()).isEqualTo(304);
        assertThat(same.responseBytes()).isEmpty();

        FakeExchange later = FakeExchange.request("GET", "/static/a.css")
                .header("If-Modified-Since", "Wed, 03 Jan 2024 00:00:00 GMT").build();
        mapStatic().handle(later);
        assertThat(later.status()).isEqualTo(304);
    }

    @Test
    void answers200WhenModifiedSinceOrTheDateIsInvalidOrIfNoneMatchIsPresent() throws Exception {
        List<FakeExchange> exchanges = List.of(
                FakeExchange.request("GET", "/static/a.css")
                        .header("If-Modified-Since", "Tue, 02 Jan 2024 03:04:04 GMT").build(),
                FakeExchange.request("GET", "/static/a.css").header("If-Modified-Since", "garbage").build(),
                FakeExchange.request("GET", "/static/a.css").header("If-None-Match", "\"x\"")
                        .header("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT").build());
        for (FakeExchange exchange : exchanges) {
            mapStatic().handle(exchange);
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.responseText()).isEqualTo("body{}\n");
        }
    }

    @Test
    void servesTheIndexOfADirectoryWithOrWithoutTheTrailingSlash() throws Exception {
        for (String target : List.of("/static", "/static/", "/static/sub/")) {
            FakeExchange exchange = FakeExchange.get(target);
            assertThat(mapStatic().handle(exchange)).as(target).isTrue();
            assertThat(exchange.responseField("Content-Type")).isEqualTo("text/html");
        }
        FakeExchange sub = FakeExchange.get("/static/sub");
        mapStatic().handle(sub);
        assertThat(sub.responseText()).isEqualTo("<p>sub</p>\n");
    }

    @Test
    void declinesADirectoryWithoutAnIndex() throws Exception {
        assertThat(mapStatic().handle(FakeExchange.get("/static/empty/"))).isFalse();
        StaticFiles noIndex = statics(List.of("/static=www"), List.of(), List.of(), List.of());
        assertThat(noIndex.handle(FakeExchange.get("/static/"))).isFalse();
    }

    @Test
    void triesIndexNamesInOrder() throws Exception {
        write(www.resolve("sub/default.txt"), "default\n");
        StaticFiles statics = statics(List.of("/static=www"), List.of(), List.of("default.txt", "index.html"),
                List.of());
        FakeExchange exchange = FakeExchange.get("/static/sub/");
        statics.handle(exchange);
        assertThat(exchange.responseText()).isEqualTo("default\n");
    }

    @Test
    void declinesMissingFilesAndPathsOutsideTheMountpoint() throws Exception {
        StaticFiles statics = mapStatic();
        for (String target : List.of("/static/nope.css", "/staticx/a.css", "/other/a.css", "/", "/a.css")) {
            FakeExchange exchange = FakeExchange.get(target);
            assertThat(statics.handle(exchange)).as(target).isFalse();
            assertThat(exchange.committed()).isFalse();
        }
    }

    @Test
    void aMountpointEndingInSlashMatchesEverythingUnderIt() throws Exception {
        StaticFiles statics = statics(List.of("/=www"), List.of(), List.of("index.html"), List.of());
        assertThat(statics.handle(FakeExchange.get("/a.css"))).isTrue();
        assertThat(statics.handle(FakeExchange.get("/"))).isTrue();
    }

    @Test
    void triesSeveralDirectoriesOfOneMountpointInOrder() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        write(other.resolve("a.css"), "other{}\n");
        write(other.resolve("only.css"), "only{}\n");
        StaticFiles statics = statics(List.of("/static=other", "/static=www"), List.of(), List.of(), List.of());
        FakeExchange first = FakeExchange.get("/static/a.css");
        statics.handle(first);
        assertThat(first.responseText()).isEqualTo("other{}\n");
        FakeExchange fallThrough = FakeExchange.get("/static/sub/t.txt");
        statics.handle(fallThrough);
        assertThat(fallThrough.responseText()).isEqualTo("plain\n");
    }

    @Test
    void mapsAMountpointToASingleFileForThatPathOnly() throws Exception {
        StaticFiles statics = statics(List.of("/favicon.ico=www/a.css"), List.of(), List.of(), List.of());
        FakeExchange exchange = FakeExchange.get("/favicon.ico");
        assertThat(statics.handle(exchange)).isTrue();
        assertThat(exchange.responseText()).isEqualTo("body{}\n");
        assertThat(exchange.responseField("Content-Type")).isEqualTo("text/css");
        assertThat(statics.handle(FakeExchange.get("/favicon.icoXX"))).isFalse();
        assertThat(statics.handle(FakeExchange.get("/favicon.ico/x"))).isFalse();
    }

    @Test
    void checkStaticAppendsTheWholePathAndComesBeforeStaticMap() throws Exception {
        Path docroot = Files.createDirectories(dir.resolve("docroot/static"));
        write(docroot.resolve("a.css"), "docroot{}\n");
        StaticFiles statics = statics(List.of("/static=www"), List.of("docroot"), List.of(), List.of());
        FakeExchange exchange = FakeExchange.get("/static/a.css");
        statics.handle(exchange);
        assertThat(exchange.responseText()).isEqualTo("docroot{}\n");
    }

    @Test
    void neverServesAFileOutsideTheMappedDirectory() throws Exception {
        StaticFiles statics = mapStatic();
        List<FakeExchange> attacks = List.of(
                FakeExchange.request("GET", "/static/../outside/secret.txt").path("/static/../outside/secret.txt")
                        .build(),
                FakeExchange.request("GET", "/static/%2e%2e/outside/secret.txt")
                        .path("/static/../outside/secret.txt").build(),
                FakeExchange.request("GET", "/static/sub/..%2F..%2Foutside/secret.txt")
                        .path("/static/sub/../../outside/secret.txt").build(),
                FakeExchange.request("GET", "/static/%252e%252e/outside/secret.txt")
                        .path("/static/%2e%2e/outside/secret.txt").build(),
                FakeExchange.request("GET", "/static/..%5Coutside%5Csecret.txt")
                        .path("/static/..\\outside\\secret.txt").build(),
                FakeExchange.request("GET", "/static/a.css%00.txt").path("/static/a.css\0.txt").build(),
                FakeExchange.request("GET", "/static//" + outside.resolve("secret.txt"))
                        .path("/static//" + outside.resolve("secret.txt")).build());
        for (FakeExchange attack : attacks) {
            assertThat(statics.handle(attack)).as(attack.request().target()).isFalse();
            assertThat(attack.committed()).isFalse();
        }
        assertThat(log).isNotEmpty().allMatch(line -> line.contains("security error"));
    }

    @Test
    void resolvesDotDotThatStaysInsideTheDirectory() throws Exception {
        FakeExchange exchange = FakeExchange.request("GET", "/static/sub/../a.css").path("/static/sub/../a.css")
                .build();
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.responseText()).isEqualTo("body{}\n");
    }

    @Test
    void refusesASymlinkLeadingOutsideUnlessItsTargetIsUnderAStaticSafeDirectory() throws Exception {
        Files.createSymbolicLink(www.resolve("link.txt"), outside.resolve("secret.txt"));
        FakeExchange refused = FakeExchange.get("/static/link.txt");
        assertThat(mapStatic().handle(refused)).isFalse();
        assertThat(log).singleElement().asString()
                .contains("security error").contains(outside.resolve("secret.txt").toRealPath().toString());

        StaticFiles safe = statics(List.of("/static=www"), List.of(), List.of(), List.of("outside"));
        FakeExchange allowed = FakeExchange.get("/static/link.txt");
        assertThat(safe.handle(allowed)).isTrue();
        assertThat(allowed.responseText()).isEqualTo("secret\n");
        assertThat(allowed.responseField("Content-Type")).isEqualTo("text/plain");
    }

    @Test
    void refusesAnIndexThatIsASymlinkLeadingOutside() throws Exception {
        Path dirWithLink = Files.createDirectories(www.resolve("linked"));
        Files.createSymbolicLink(dirWithLink.resolve("index.html"), outside.resolve("secret.txt"));
        assertThat(mapStatic().handle(FakeExchange.get("/static/linked/"))).isFalse();
        assertThat(log).singleElement().asString().contains("security error");
    }

    @Test
    void followsASymlinkedMappedDirectory() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("www-link"), www);
        StaticFiles statics = statics(List.of("/static=" + link), List.of(), List.of(), List.of());
        FakeExchange exchange = FakeExchange.get("/static/a.css");
        assertThat(statics.handle(exchange)).isTrue();
        assertThat(exchange.responseText()).isEqualTo("body{}\n");
    }

    @Test
    void aDirectoryCreatedAfterStartIsServedOnceItExists() throws Exception {
        StaticFiles statics = statics(List.of("/late=late"), List.of(), List.of(), List.of());
        assertThat(statics.handle(FakeExchange.get("/late/x.txt"))).isFalse();
        Files.createDirectories(dir.resolve("late"));
        write(dir.resolve("late/x.txt"), "late\n");
        FakeExchange exchange = FakeExchange.get("/late/x.txt");
        assertThat(statics.handle(exchange)).isTrue();
        assertThat(exchange.responseText()).isEqualTo("late\n");
    }

    @Test
    void declinesEverythingWithoutMounts() throws Exception {
        StaticFiles none = StaticFiles.create(StaticSpec.none(), dir, log::add);
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.handle(FakeExchange.get("/a.css"))).isFalse();
    }

    @Test
    void rejectsAStaticMapWithoutMountpointOrPath() {
        for (String bad : List.of("static", "/static=", "=www", "static=www")) {
            assertThatThrownBy(() -> statics(List.of(bad), List.of(), List.of(), List.of()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("static-map");
        }
    }
}
