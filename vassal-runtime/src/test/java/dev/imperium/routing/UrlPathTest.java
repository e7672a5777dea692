package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlPathTest {
    @Test
    void decodesPercentEscapes() {
        // uWSGI: rewrite:/a%20b/GET gives PATH_INFO "/a b/GET"
        assertThat(UrlPath.decode("/a%20b/GET")).isEqualTo("/a b/GET");
        assertThat(UrlPath.decode("/caf%C3%A9")).isEqualTo("/café");
        assertThat(UrlPath.decode("/%E9")).isEqualTo("/\u00e9");
        assertThat(UrlPath.decode("/100%")).isEqualTo("/100%");
        assertThat(UrlPath.decode("/a%2Fb")).isEqualTo("/a/b");
    }

    @Test
    void removesDotSegmentsAndRepeatedSlashes() {
        assertThat(UrlPath.decode("/a/./b/../c")).isEqualTo("/a/c");
        assertThat(UrlPath.decode("/../../etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(UrlPath.decode("//a///b")).isEqualTo("/a/b");
        assertThat(UrlPath.decode("/a/")).isEqualTo("/a/");
        assertThat(UrlPath.decode("/a/.")).isEqualTo("/a/");
        assertThat(UrlPath.decode("/a/b/..")).isEqualTo("/a/");
        assertThat(UrlPath.decode("/")).isEqualTo("/");
        assertThat(UrlPath.decode("/%2e%2e/x")).as("only written dots are segments").isEqualTo("/../x");
        assertThat(UrlPath.decode("index.php")).isEqualTo("index.php");
    }

    @Test
    void stopsAtAFragment() {
        assertThat(UrlPath.decode("/a#frag")).isEqualTo("/a");
        assertThat(UrlPath.decode("")).isEmpty();
    }
}
