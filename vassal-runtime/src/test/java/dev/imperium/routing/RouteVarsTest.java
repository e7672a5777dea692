package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteVarsTest {
    @Test
    void queryItemsAreTheFirstNonEmptyValueNotDecoded() {
        // uWSGI: /qs?a=&a=1&b=2 gives a=1 b=2
        assertThat(RouteVars.queryItem("a=&a=1&b=2", "a")).isEqualTo("1");
        assertThat(RouteVars.queryItem("a=&a=1&b=2", "b")).isEqualTo("2");
        assertThat(RouteVars.queryItem("name=a%20b", "name")).isEqualTo("a%20b");
        assertThat(RouteVars.queryItem("ab=1", "a")).isNull();
        assertThat(RouteVars.queryItem("a", "a")).isNull();
        assertThat(RouteVars.queryItem("", "a")).isNull();
        assertThat(RouteVars.queryItem("x=1&", "x")).isEqualTo("1");
    }

    @Test
    void cookiesAreTrimmedPairs() {
        // uWSGI: Cookie "c= v1 ; d=v2;c=v3" gives c=" v1", d="v2"
        assertThat(RouteVars.cookie("c= v1 ; d=v2;c=v3", "c")).isEqualTo(" v1");
        assertThat(RouteVars.cookie("c= v1 ; d=v2;c=v3", "d")).isEqualTo("v2");
        assertThat(RouteVars.cookie("session=abc", "sess")).isNull();
        assertThat(RouteVars.cookie(null, "c")).isNull();
    }

    @Test
    void encodings() {
        // uWSGI: ${hex[PATH_INFO]} of /qs is 2F7173, ${base64[PATH_INFO]} is L3Fz
        assertThat(RouteVars.hex("/qs")).isEqualTo("2F7173");
        assertThat(RouteVars.base64("/qs")).isEqualTo("L3Fz");
    }

    @Test
    void strtolReadsLikeC() {
        assertThat(RouteVars.strtol("  42abc")).isEqualTo(42);
        assertThat(RouteVars.strtol("-7")).isEqualTo(-7);
        assertThat(RouteVars.strtol("+3")).isEqualTo(3);
        assertThat(RouteVars.strtol("abc")).isZero();
        assertThat(RouteVars.strtol("")).isZero();
        assertThat(RouteVars.strtol("99999999999999999999")).isEqualTo(Long.MAX_VALUE);
    }
}
