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

    @Test
    void staticMap2LooksTheWholePathUpUnderItsDirectory() throws Exception {
        Path images = Files.createDirectories(dir.resolve("img/images"));
        write(images.resolve("logo.txt"), "logo\n");
        StaticFiles statics = statics(StaticSpec.builder().staticMaps2(List.of("/images=img")));
        FakeExchange exchange = FakeExchange.get("/images/logo.txt");
        assertThat(statics.handle(exchange)).isTrue();
        assertThat(exchange.responseText()).isEqualTo("logo\n");
        assertThat(statics.handle(FakeExchange.get("/imagesx/logo.txt"))).isFalse();
        StaticFiles map = statics(StaticSpec.builder().staticMaps(List.of("/images=img")));
        assertThat(map.handle(FakeExchange.get("/images/logo.txt"))).as("static-map strips the mountpoint").isFalse();
    }

    @Test
    void staticMap2ComesAfterStaticMap() throws Exception {
        Path nested = Files.createDirectories(dir.resolve("m2/static"));
        write(nested.resolve("a.css"), "map2{}\n");
        StaticFiles statics = statics(StaticSpec.builder().staticMaps2(List.of("/static=m2"))
                .staticMaps(List.of("/static=www")));
        FakeExchange exchange = FakeExchange.get("/static/a.css");
        statics.handle(exchange);
        assertThat(exchange.responseText()).isEqualTo("body{}\n");
    }

    @Test
    void skippedExtensionsAreLeftToTheNextMountOrTheApp() throws Exception {
        write(www.resolve("page.php"), "<?php echo 1;\n");
        Path other = Files.createDirectories(dir.resolve("other"));
        write(other.resolve("page.php"), "also php\n");
        StaticFiles statics = statics(StaticSpec.builder().staticMaps(List.of("/static=www", "/static=other"))
                .skipExtensions(List.of(".php")).staticIndex(List.of("page.php")));
        assertThat(statics.handle(FakeExchange.get("/static/page.php"))).isFalse();
        assertThat(statics.handle(FakeExchange.get("/static/"))).as("an index with that extension too").isFalse();
        assertThat(statics.handle(FakeExchange.get("/static/a.css"))).isTrue();
    }

    @Test
    void sendsAStrongEtagAndAcceptRangesAndAnswers304ToIt() throws Exception {
        StaticFiles statics = mapStatic();
        FakeExchange first = FakeExchange.get("/static/a.css");
        statics.handle(first);
        String etag = first.responseField("ETag");
        assertThat(etag).matches("\"[0-9a-f]+-7-[0-9a-f]+\"");
        assertThat(first.responseField("Accept-Ranges")).isEqualTo("bytes");
        for (StaticFiles handler : List.of(statics, mapStatic())) {
            FakeExchange conditional = FakeExchange.request("GET", "/static/a.css").header("If-None-Match", etag)
                    .build();
            assertThat(handler.handle(conditional)).isTrue();
            assertThat(conditional.status()).isEqualTo(304);
            assertThat(conditional.responseField("ETag")).isEqualTo(etag);
            assertThat(conditional.responseBytes()).isEmpty();
        }
        Files.writeString(www.resolve("a.css"), "body{x}\n");
        Files.setLastModifiedTime(www.resolve("a.css"), FileTime.from(MODIFIED.plusSeconds(60)));
        FakeExchange changed = FakeExchange.request("GET", "/static/a.css").header("If-None-Match", etag).build();
        statics.handle(changed);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.responseField("ETag")).isNotEqualTo(etag);
    }

    @Test
    void aFailedIfMatchGets412() throws Exception {
        FakeExchange exchange = FakeExchange.request("GET", "/static/a.css").header("If-Match", "\"nope\"").build();
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.status()).isEqualTo(412);
        assertThat(exchange.responseBytes()).isEmpty();
    }

    @Test
    void aRangeGets206WithContentRangeFromTheCacheOrTheFile() throws Exception {
        byte[] big = new byte[SmallFileCache.MAX_FILE_BYTES * 2];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Files.write(www.resolve("big.bin"), big);
        StaticFiles statics = mapStatic();
        statics.handle(FakeExchange.get("/static/a.css"));
        for (String target : List.of("/static/a.css", "/static/big.bin")) {
            FakeExchange exchange = FakeExchange.request("GET", target).header("Range", "bytes=1-3").build();
            assertThat(statics.handle(exchange)).isTrue();
            assertThat(exchange.status()).as(target).isEqualTo(206);
            assertThat(exchange.contentLength()).isEqualTo(3);
            long total = Files.size(www.resolve(target.substring(8)));
            assertThat(exchange.responseField("Content-Range")).isEqualTo("bytes 1-3/" + total);
        }
        FakeExchange tail = FakeExchange.request("GET", "/static/big.bin").header("Range", "bytes=-70000").build();
        statics.handle(tail);
        assertThat(tail.responseBytes()).isEqualTo(java.util.Arrays.copyOfRange(big, big.length - 70000, big.length));
        assertThat(tail.transferredBytes()).as("zero-copy for a large range").isEqualTo(70000);
    }

    @Test
    void severalRangesGoOutAsMultipartByteranges() throws Exception {
        write(www.resolve("long.txt"), "a".repeat(100) + "b".repeat(100) + "c".repeat(100));
        FakeExchange exchange = FakeExchange.request("GET", "/static/long.txt").header("Range", "bytes=0-1,-2")
                .build();
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.status()).isEqualTo(206);
        String type = exchange.responseField("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        assertThat(exchange.responseField("Content-Range")).isNull();
        assertThat(exchange.responseText()).isEqualTo("--" + boundary + "\r\nContent-Type: text/plain\r\n"
                + "Content-Range: bytes 0-1/300\r\n\r\naa\r\n--" + boundary + "\r\nContent-Type: text/plain\r\n"
                + "Content-Range: bytes 298-299/300\r\n\r\ncc\r\n--" + boundary + "--\r\n");
        assertThat(exchange.contentLength()).isEqualTo(exchange.responseBytes().length);
    }

    @Test
    void anUnsatisfiableRangeGets416WithTheLength() throws Exception {
        FakeExchange exchange = FakeExchange.request("GET", "/static/a.css").header("Range", "bytes=7-").build();
        assertThat(mapStatic().handle(exchange)).isTrue();
        assertThat(exchange.status()).isEqualTo(416);
        assertThat(exchange.responseField("Content-Range")).isEqualTo("bytes */7");
        assertThat(exchange.responseBytes()).isEmpty();
    }

    @Test
    void theWholeFileWhenIfRangeNoLongerHoldsForHeadOrWithHonourRangeOff() throws Exception {
        List<FakeExchange> whole = List.of(
                FakeExchange.request("GET", "/static/a.css").header("Range", "bytes=0-1")
                        .header("If-Range", "\"old\"").build(),
                FakeExchange.request("GET", "/static/a.css").header("Range", "bytes=0-1")
                        .header("If-Range", "Mon, 01 Jan 2024 00:00:00 GMT").build(),
                FakeExchange.request("HEAD", "/static/a.css").header("Range", "bytes=0-1").build(),
                FakeExchange.request("GET", "/static/a.css").header("Range", "bytes=0-1")
                        .header("Range", "bytes=2-3").build());
        for (FakeExchange exchange : whole) {
            mapStatic().handle(exchange);
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.contentLength()).isEqualTo(7);
        }
        FakeExchange sameDate = FakeExchange.request("GET", "/static/a.css").header("Range", "bytes=0-1")
                .header("If-Range", "Tue, 02 Jan 2024 03:04:05 GMT").build();
        mapStatic().handle(sameDate);
        assertThat(sameDate.status()).isEqualTo(206);

        StaticFiles off = statics(StaticSpec.builder().staticMaps(List.of("/static=www")).honourRange(false));
        FakeExchange ignored = FakeExchange.request("GET", "/static/a.css").header("Range", "bytes=0-1").build();
        off.handle(ignored);
        assertThat(ignored.status()).isEqualTo(200);
        assertThat(ignored.responseField("Accept-Ranges")).isNull();
    }

    private StaticFiles gzipAll() {
        return statics(StaticSpec.builder().staticMaps(List.of("/static=www"))
                .gzip(new GzipRules(true, List.of(), List.of(), List.of())));
    }

    @Test
    void aClientTakingGzipGetsTheGzVariantWithVary() throws Exception {
        Files.write(www.resolve("a.css.gz"), new byte[] {31, -117, 8, 0});
        StaticFiles statics = gzipAll();
        for (int round = 0; round < 2; round++) {
            FakeExchange gzip = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip, deflate")
                    .build();
            assertThat(statics.handle(gzip)).isTrue();
            assertThat(gzip.responseField("Content-Encoding")).isEqualTo("gzip");
            assertThat(gzip.responseField("Content-Type")).isEqualTo("text/css");
            assertThat(gzip.responseField("Vary")).isEqualTo("Accept-Encoding");
            assertThat(gzip.responseBytes()).containsExactly(31, -117, 8, 0);

            FakeExchange plain = FakeExchange.get("/static/a.css");
            statics.handle(plain);
            assertThat(plain.responseField("Content-Encoding")).isNull();
            assertThat(plain.responseField("Vary")).isEqualTo("Accept-Encoding");
            assertThat(plain.responseText()).isEqualTo("body{}\n");
            assertThat(plain.responseField("ETag")).as("each variant has its own tag")
                    .isNotEqualTo(gzip.responseField("ETag"));
        }
        FakeExchange refused = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip;q=0")
                .build();
        statics.handle(refused);
        assertThat(refused.responseField("Content-Encoding")).isNull();
    }

    @Test
    void brIsPreferredAndMissingVariantsFallBackToTheFile() throws Exception {
        Files.writeString(www.resolve("a.css.br"), "BR");
        Files.writeString(www.resolve("a.css.gz"), "GZ");
        FakeExchange both = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip, br").build();
        gzipAll().handle(both);
        assertThat(both.responseField("Content-Encoding")).isEqualTo("br");
        assertThat(both.responseText()).isEqualTo("BR");
        FakeExchange none = FakeExchange.request("GET", "/static/sub/t.txt").header("Accept-Encoding", "gzip, br")
                .build();
        gzipAll().handle(none);
        assertThat(none.responseField("Content-Encoding")).isNull();
        assertThat(none.responseText()).isEqualTo("plain\n");
    }

    @Test
    void aVariantCreatedAfterTheFileWasCachedIsServed() throws Exception {
        StaticFiles statics = gzipAll();
        FakeExchange before = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip").build();
        statics.handle(before);
        assertThat(before.responseField("Content-Encoding")).isNull();
        Files.writeString(www.resolve("a.css.gz"), "GZ");
        FakeExchange after = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip").build();
        statics.handle(after);
        assertThat(after.responseField("Content-Encoding")).isEqualTo("gzip");
        Files.delete(www.resolve("a.css.gz"));
        FakeExchange removed = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip").build();
        statics.handle(removed);
        assertThat(removed.responseText()).isEqualTo("body{}\n");
    }

    @Test
    void aVariantLeadingOutsideIsNeverSent() throws Exception {
        Files.createSymbolicLink(www.resolve("a.css.gz"), outside.resolve("secret.txt"));
        FakeExchange exchange = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip").build();
        assertThat(gzipAll().handle(exchange)).isTrue();
        assertThat(exchange.responseText()).isEqualTo("body{}\n");
        assertThat(log).singleElement().asString().contains("security error");
    }

    @Test
    void onlyFilesCoveredByARuleHaveVariants() throws Exception {
        Files.writeString(www.resolve("a.css.gz"), "GZ");
        Files.writeString(www.resolve("index.html.gz"), "GZ");
        StaticFiles statics = statics(StaticSpec.builder().staticMaps(List.of("/static=www"))
                .gzip(new GzipRules(false, List.of(), List.of(".css"), List.of())));
        FakeExchange css = FakeExchange.request("GET", "/static/a.css").header("Accept-Encoding", "gzip").build();
        statics.handle(css);
        assertThat(css.responseField("Content-Encoding")).isEqualTo("gzip");
        FakeExchange html = FakeExchange.request("GET", "/static/index.html").header("Accept-Encoding", "gzip")
                .build();
        statics.handle(html);
        assertThat(html.responseField("Content-Encoding")).isNull();
        assertThat(html.responseField("Vary")).isNull();
    }

    @Test
    void expiresFollowsTheRules() throws Exception {
        ExpiresRules rules = new ExpiresRules(List.of(), List.of(), List.of(),
                List.of(ExpiresRules.parseTypeRule("static-expires-type-mtime", "text/css=86400", true)));
        StaticFiles statics = statics(StaticSpec.builder().staticMaps(List.of("/static=www")).expires(rules));
        FakeExchange css = FakeExchange.get("/static/a.css");
        statics.handle(css);
        assertThat(css.responseField("Expires")).isEqualTo("Wed, 03 Jan 2024 03:04:05 GMT");
        FakeExchange html = FakeExchange.get("/static/index.html");
        statics.handle(html);
        assertThat(html.responseField("Expires")).isNull();
        FakeExchange notModified = FakeExchange.request("GET", "/static/a.css")
                .header("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT").build();
        statics.handle(notModified);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.responseField("Expires")).isEqualTo("Wed, 03 Jan 2024 03:04:05 GMT");
    }

    @Test
    void anOffloadModeNamesTheFileForTheFrontServerAndSendsNoBody() throws Exception {
        StaticFiles statics = statics(StaticSpec.builder().staticMaps(List.of("/static=www"))
                .fileServeMode(FileServeMode.X_ACCEL_REDIRECT));
        for (int round = 0; round < 2; round++) {
            FakeExchange exchange = FakeExchange.request("GET", "/static/a.css").header("Range", "bytes=0-1").build();
            assertThat(statics.handle(exchange)).isTrue();
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.responseField("X-Accel-Redirect")).isEqualTo(www.resolve("a.css").toRealPath()
                    .toString());
            assertThat(exchange.responseField("Content-Type")).isEqualTo("text/css");
            assertThat(exchange.responseField("Accept-Ranges")).isNull();
            assertThat(exchange.responseBytes()).isEmpty();
        }
        assertThat(FileServeMode.parse("X-Sendfile")).isEqualTo(FileServeMode.X_SENDFILE);
        assertThat(FileServeMode.parse("nginx")).isEqualTo(FileServeMode.X_ACCEL_REDIRECT);
        assertThatThrownBy(() -> FileServeMode.parse("lighttpd")).hasMessageContaining("file-serve-mode");
    }
}
