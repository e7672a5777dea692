package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RuleParserTest {
    private static Rule parse(String option, String value) {
        return RuleParser.parse(option, value, 0, "app.ini:1");
    }

    @Test
    void optionsBelongToTheirChain() {
        assertThat(RuleParser.chainOf("route")).isEqualTo(Chain.REQUEST);
        assertThat(RuleParser.chainOf("route-if-not")).isEqualTo(Chain.REQUEST);
        assertThat(RuleParser.chainOf("error-route-status")).isEqualTo(Chain.ERROR);
        assertThat(RuleParser.chainOf("response-route-run")).isEqualTo(Chain.RESPONSE);
        assertThat(RuleParser.chainOf("final-route-label")).isEqualTo(Chain.FINAL);
        assertThat(RuleParser.chainOf("route-status")).as("the request chain has no status").isNull();
        assertThat(RuleParser.chainOf("router-list")).isNull();
        assertThat(RuleParser.chainOf("log-route")).isNull();
        assertThat(RuleParser.optionNames()).hasSize(12 + 3 * 13).contains("route-referer", "final-route-status",
                "response-route-if-not", "error-route-remote-user");
    }

    @Test
    void regexpRulesSplitAtTheFirstSpace() {
        Rule r = parse("route-host", "^(www\\.)?example\\.com$ redirect-permanent:https://example.com${REQUEST_URI}");
        assertThat(r.chain()).isEqualTo(Chain.REQUEST);
        assertThat(r.match()).isInstanceOfSatisfying(Rule.Match.OnSubject.class, m -> {
            assertThat(m.subject()).isEqualTo(Subject.HTTP_HOST);
            assertThat(m.pattern().pattern()).isEqualTo("^(www\\.)?example\\.com$");
        });
        assertThat(r.action()).isInstanceOfSatisfying(Action.Redirect.class, a -> {
            assertThat(a.status()).isEqualTo(301);
            assertThat(a.location().source()).isEqualTo("https://example.com${REQUEST_URI}");
        });
        assertThat(parse("route", "^/x log:a b  c").action()).isInstanceOfSatisfying(Action.Log.class,
                a -> assertThat(a.text().source()).isEqualTo("a b  c"));
        assertThat(parse("route", ".* addheader:Server: my server").action())
                .isInstanceOfSatisfying(Action.AddHeader.class,
                        a -> assertThat(a.header().source()).isEqualTo("Server: my server"));
    }

    @Test
    void everySubject() {
        assertThat(((Rule.Match.OnSubject) parse("route", "x last:").match()).subject()).isEqualTo(Subject.PATH_INFO);
        for (Subject s : Subject.values()) {
            Rule r = parse("final-route" + s.suffix(), "x donotlog:");
            assertThat(((Rule.Match.OnSubject) r.match()).subject()).isEqualTo(s);
        }
    }

    @Test
    void conditions() {
        Rule r = parse("route-if", "equal:${PATH_INFO};/bad break:500");
        assertThat(r.match()).isInstanceOfSatisfying(Rule.Match.If.class, m -> {
            assertThat(m.condition()).isEqualTo(Condition.EQUAL);
            assertThat(m.negate()).isFalse();
            assertThat(m.left().source()).isEqualTo("${PATH_INFO}");
            assertThat(m.right().source()).isEqualTo("/bad");
        });
        Rule not = parse("route-if-not", "empty:${HTTP_X_T} addheader:X-T: 1");
        assertThat(not.match()).isInstanceOfSatisfying(Rule.Match.If.class, m -> {
            assertThat(m.negate()).isTrue();
            assertThat(m.right()).isNull();
        });
        Rule re = parse("route-if", "regexp:${PATH_INFO};^/a/(.*)$ log:$1");
        assertThat(((Rule.Match.If) re.match()).regexp().pattern()).isEqualTo("^/a/(.*)$");
        Rule two = parse("route-if", "contains:a;b;c log:x");
        assertThat(((Rule.Match.If) two.match()).right().source()).isEqualTo("b;c");
    }

    @Test
    void statusAndRunAndLabel() {
        assertThat(parse("error-route-status", "404 redirect:/nf").match()).isEqualTo(new Rule.Match.OnStatus(404));
        Rule run = parse("route-run", "return:418");
        assertThat(run.match()).isInstanceOf(Rule.Match.Always.class);
        assertThat(run.action()).isEqualTo(new Action.Return(418));
        Rule label = parse("route-label", "lbl");
        assertThat(label.isLabel()).isTrue();
        assertThat(label.label()).isEqualTo("lbl");
    }

    @Test
    void actions() {
        assertThat(RuleParser.action("continue:", "")).isEqualTo(new Action.Continue());
        assertThat(RuleParser.action("last:", "")).isEqualTo(new Action.Continue());
        assertThat(RuleParser.action("break:", "")).isEqualTo(new Action.Break(0));
        assertThat(RuleParser.action("break:404", "")).isEqualTo(new Action.Break(404));
        assertThat(RuleParser.action("break:403 Forbidden", "")).isEqualTo(new Action.Break(403));
        assertThat(RuleParser.action("break-with-status:503", "")).isEqualTo(new Action.Return(503));
        assertThat(RuleParser.action("donotlog:", "")).isEqualTo(new Action.DoNotLog());
        assertThat(RuleParser.action("donotoffload:", "")).isEqualTo(new Action.DoNotOffload());
        assertThat(RuleParser.action("fixpathinfo:", "")).isEqualTo(new Action.FixPathInfo());
        assertThat(RuleParser.action("redirect-302:/x", "")).isInstanceOfSatisfying(Action.Redirect.class,
                a -> assertThat(a.status()).isEqualTo(302));
        assertThat(RuleParser.action("rewrite-last:/x", "")).isInstanceOfSatisfying(Action.Rewrite.class,
                a -> assertThat(a.last()).isTrue());
        assertThat(RuleParser.action("addvar:FOO=a=b", "")).isInstanceOfSatisfying(Action.SetVar.class, a -> {
            assertThat(a.name()).isEqualTo("FOO");
            assertThat(a.value().source()).isEqualTo("a=b");
        });
        assertThat(RuleParser.action("setuser:bob:x", "")).isInstanceOfSatisfying(Action.SetVar.class, a -> {
            assertThat(a.name()).isEqualTo("REMOTE_USER");
            assertThat(a.cutAtColon()).isTrue();
        });
        assertThat(RuleParser.action("setmethod:POST", "")).isInstanceOfSatisfying(Action.SetVar.class,
                a -> assertThat(a.name()).isEqualTo("REQUEST_METHOD"));
        assertThat(RuleParser.action("remheader:Server", "")).isInstanceOf(Action.DelHeader.class);
        assertThat(RuleParser.action("static-next:/srv/${PATH_INFO}", "")).isInstanceOfSatisfying(Action.Static.class,
                a -> assertThat(a.next()).isTrue());
    }

    @Test
    void basicAuthCredentials() {
        assertThat(RuleParser.action("basicauth:My Realm,foo:bar", "")).isEqualTo(new Action.BasicAuth("My Realm",
                new BasicAuthCredentials.Inline("foo", "bar"), false));
        assertThat(RuleParser.action("basicauth-next:R,kratos:", "")).isEqualTo(new Action.BasicAuth("R",
                new BasicAuthCredentials.Inline("kratos", ""), true));
        assertThat(RuleParser.action("basicauth:R,/etc/htpasswd", "")).isEqualTo(new Action.BasicAuth("R",
                new BasicAuthCredentials.File(Path.of("/etc/htpasswd")), false));
        assertThat(RuleParser.action("basicauth:R,", "")).isEqualTo(new Action.BasicAuth("R",
                new BasicAuthCredentials.Nobody(), false));
    }

    @Test
    void anyTextParsesOrIsARouteSyntaxError() {
        String alphabet = "ab/:;$ {}[]()*.^?\\-=,1404routeifgotolabelstaticreturn";
        String[] options = {"route", "route-if", "route-if-not", "route-run", "error-route-status", "route-label"};
        java.util.Random random = new java.util.Random(42);
        Template.VarSource vars = new Template.VarSource() {
            @Override
            public String variable(String name) {
                return name;
            }

            @Override
            public String routeVar(RouteVars.Kind kind, String arg) {
                return arg;
            }
        };
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(30); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String option = options[random.nextInt(options.length)];
            try {
                parse(option, text.toString());
            } catch (RouteSyntaxException expected) {
                // a clear error is fine
            }
            assertThat(Template.parse(text.toString()).expand(index -> "g" + index, vars)).isNotNull();
        }
    }

    @Test
    void badRulesSayWhatIsWrong() {
        assertThatThrownBy(() -> parse("route", "^/x")).hasMessageContaining("invalid route syntax");
        assertThatThrownBy(() -> parse("route", "^/x frobnicate:1"))
                .hasMessage("unable to register route \"^/x frobnicate:1\": unknown action 'frobnicate'");
        assertThatThrownBy(() -> parse("route", "^/x donotlog"))
                .hasMessageContaining("has no ':' (write 'donotlog:'");
        assertThatThrownBy(() -> parse("route", "([a-z] last:"))
                .hasMessageStartingWith("invalid regular expression '([a-z]'");
        assertThatThrownBy(() -> parse("route-if", "nope:a;b last:"))
                .hasMessage("unable to find \"nope\" route condition");
        assertThatThrownBy(() -> parse("route-if", "equal:a last:"))
                .hasMessageContaining("needs two operands");
        assertThatThrownBy(() -> parse("route-if", "equal last:")).hasMessageContaining("condition syntax");
        assertThatThrownBy(() -> parse("route-if", "regexp:a;( last:"))
                .hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> parse("route-if", "incache:k last:")).hasMessageContaining("does not implement");
        assertThatThrownBy(() -> parse("route", "x send:raw")).hasMessage("routing action 'send' is a uWSGI action"
                + " Imperium does not implement");
        assertThatThrownBy(() -> parse("route-run", "return:999")).hasMessageContaining("return:");
        assertThatThrownBy(() -> parse("route-run", "return:")).hasMessageContaining("return:");
        assertThatThrownBy(() -> parse("route-run", "break:abc")).hasMessageContaining("break:");
        assertThatThrownBy(() -> parse("route-run", "break:100")).hasMessageContaining("break:");
        assertThatThrownBy(() -> parse("route-run", "addvar:NOEQUALS")).hasMessageContaining("KEY=VAL");
        assertThatThrownBy(() -> parse("route-run", "addheader:no colon")).hasMessageContaining("Name: value");
        assertThatThrownBy(() -> parse("route-run", "redirect:")).hasMessageContaining("needs an argument");
        assertThatThrownBy(() -> parse("route-run", "basicauth:norealm")).hasMessageContaining("REALM");
        assertThatThrownBy(() -> parse("error-route-status", "40x last:")).hasMessageContaining("3-digit");
        assertThatThrownBy(() -> parse("route-label", "")).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> parse("route-status", "404 last:")).hasMessageContaining("no routing option");
    }
}
