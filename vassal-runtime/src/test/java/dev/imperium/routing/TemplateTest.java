package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Template.VarSource VARS = new Template.VarSource() {
        private final Map<String, String> vars = Map.of("PATH_INFO", "/a/b", "QUERY_STRING", "x=1&y=2",
                "HTTP_HOST", "example.com", "EVIL", "${HTTP_HOST}");

        @Override
        public String variable(String name) {
            return vars.get(name);
        }

        @Override
        public String routeVar(RouteVars.Kind kind, String arg) {
            return kind == RouteVars.Kind.QS ? RouteVars.queryItem(vars.get("QUERY_STRING"), arg) : null;
        }
    };

    private static Template.Groups groups(String regexp, String subject) {
        Matcher m = Pattern.compile(regexp).matcher(subject);
        assertThat(m.find()).isTrue();
        return Template.Groups.of(m.toMatchResult());
    }

    @Test
    void variablesAndGroupsAreExpanded() {
        Template t = Template.parse("/new/$1?host=${HTTP_HOST}&y=${qs[y]}");
        assertThat(t.expand(groups("^/old/(.*)$", "/old/page"), VARS)).isEqualTo("/new/page?host=example.com&y=2");
    }

    @Test
    void missingGroupsAndVariablesGiveNothing() {
        Template t = Template.parse("[$1][$2][$9][${NOPE}][${qs[z]}]");
        assertThat(t.expand(groups("^/(a)(x)?", "/a"), VARS)).isEqualTo("[a][][][][]");
        assertThat(t.expand(Template.Groups.NONE, VARS)).isEqualTo("[][][][][]");
    }

    @Test
    void dollarZeroIsTheWholeMatch() {
        assertThat(Template.parse("$0").expand(groups("b+", "abbbc"), VARS)).isEqualTo("bbb");
    }

    @Test
    void dollarBeforeOtherCharactersStaysAndATrailingDollarIsDropped() {
        // uWSGI: route-run = log:a$1b$xc$ logs "ab$xc"
        assertThat(Template.parse("a$1b$xc$").expand(Template.Groups.NONE, VARS)).isEqualTo("ab$xc");
        assertThat(Template.parse("$$").expand(Template.Groups.NONE, VARS)).isEqualTo("$$");
    }

    @Test
    void anUnterminatedReferenceIsKeptAsWritten() {
        assertThat(Template.parse("x=${qs[a").expand(Template.Groups.NONE, VARS)).isEqualTo("x=${qs[a");
        assertThat(Template.parse("${").expand(Template.Groups.NONE, VARS)).isEqualTo("${");
    }

    @Test
    void capturedTextIsNotExpandedAgain() {
        assertThat(Template.parse("$1").expand(groups("(.*)", "${HTTP_HOST}"), VARS)).isEqualTo("${HTTP_HOST}");
        assertThat(Template.parse("${EVIL}").expand(Template.Groups.NONE, VARS)).isEqualTo("${HTTP_HOST}");
    }

    @Test
    void groupsMayNameAVariable() {
        assertThat(Template.parse("${qs[$1]}").expand(groups("/(y)", "/y"), VARS)).isEqualTo("2");
        assertThat(Template.parse("${$1}").expand(groups("(HTTP_HOST)", "HTTP_HOST"), VARS))
                .isEqualTo("example.com");
    }

    @Test
    void unknownRouteVarsAreLookedUpAsVariables() {
        assertThat(Template.parse("${math[1+1]}").expand(Template.Groups.NONE, VARS)).isEmpty();
    }

    @Test
    void constantTemplates() {
        assertThat(Template.parse("X-A: b").isConstant()).isTrue();
        assertThat(Template.parse("").isConstant()).isTrue();
        assertThat(Template.parse("a$1").isConstant()).isFalse();
        assertThat(Template.parse("a${B}").isConstant()).isFalse();
        assertThat(Template.parse("a$").isConstant()).isTrue();
    }
}
