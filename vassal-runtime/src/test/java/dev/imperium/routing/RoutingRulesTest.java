package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingRulesTest {
    private static List<ConfigEntry> entries(String... keyValues) {
        List<ConfigEntry> list = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            list.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("app.ini"), 10 + i / 2)));
        }
        return list;
    }

    @Test
    void rulesGoToTheirChainInFileOrder() {
        RoutingRules rules = RoutingRules.from(entries(
                "http-socket", ":8080",
                "route", "^/a last:",
                "error-route-status", "404 redirect:/",
                "route-label", "end",
                "final-route-run", "donotlog:",
                "collect-header", "Content-Type CT"));
        assertThat(rules.table(Chain.REQUEST).rules()).extracting(Rule::position).containsExactly(0, 1);
        assertThat(rules.table(Chain.REQUEST).labels()).containsEntry("end", 1);
        assertThat(rules.table(Chain.ERROR).rules()).hasSize(1);
        assertThat(rules.table(Chain.RESPONSE).isEmpty()).isTrue();
        assertThat(rules.table(Chain.FINAL).rules()).hasSize(1);
        assertThat(rules.collectHeaders()).containsExactly(new RoutingRules.CollectHeader("Content-Type", "CT",
                false));
        assertThat(rules.isEmpty()).isFalse();
        assertThat(RoutingRules.from(entries("http-socket", ":8080"))).isSameAs(RoutingRules.NONE);
        assertThat(RoutingRules.NONE.isEmpty()).isTrue();
    }

    @Test
    void aBadRuleNamesFileLineAndOption() {
        assertThatThrownBy(() -> RoutingRules.from(entries("route", "^/a last:", "route-if", "bogus:x last:")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("app.ini:11: route-if: unable to find \"bogus\" route condition");
        assertThatThrownBy(() -> RoutingRules.from(entries("pull-header", "Server")))
                .hasMessageStartingWith("app.ini:10: pull-header: invalid pull header syntax");
    }

    @Test
    void gotoMustJumpForwardToALabelOfItsChain() {
        assertThatThrownBy(() -> RoutingRules.from(entries("route-label", "top", "route", "^/a goto:top")))
                .hasMessageContaining("app.ini:11: route: goto:top: \"goto\" instruction can only jump forward");
        assertThatThrownBy(() -> RoutingRules.from(entries("route", "^/a goto:nowhere", "error-route-label",
                "nowhere"))).hasMessageContaining("app.ini:10: route: goto:nowhere: no route-label 'nowhere'");
        assertThat(RoutingRules.from(entries("route", "^/a goto:2", "route-run", "last:", "route-run", "log:x"))
                .table(Chain.REQUEST).rules()).hasSize(3);
        assertThat(RoutingRules.from(entries("route-host", "(.*) goto:$1")).table(Chain.REQUEST).rules())
                .as("a computed label is checked per request").hasSize(1);
    }

    @Test
    void dumpIsUwsgisStartupTable() {
        RoutingRules rules = RoutingRules.from(entries(
                "route", "^/old/(.*)$ rewrite:/new/$1",
                "route-run", "addheader:X-A: 1",
                "route-label", "lbl",
                "route-if-not", "empty:${HTTP_X_T} addheader:X-T: ${HTTP_X_T}",
                "error-route-status", "404 redirect:/nf"));
        assertThat(rules.dump()).containsExactly(
                "*** dumping internal routing table ***",
                "[rule: 0] subject: path_info regexp: ^/old/(.*)$ action: rewrite:/new/$1",
                "[rule: 1] action: addheader:X-A: 1",
                "[rule: 2] label: lbl",
                "[rule: 3] subject: ${HTTP_X_T} func: !empty action: addheader:X-T: ${HTTP_X_T}",
                "*** end of the internal routing table ***",
                "*** dumping internal error routing table ***",
                "[rule: 0] subject: 404 func: 404 action: redirect:/nf",
                "*** end of the internal error routing table ***");
    }
}
