package dev.imperium.apps;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountTableTest {

    @Test
    void manageScriptNameMovesTheLongestMountpointIntoScriptName() {
        MountTable table = new MountTable(List.of("/app", "/app/admin", "/api/"), true, true);
        assertThat(table.select("", "/app/x")).isEqualTo(new MountTable.Selection(0, "/app", "/x", true));
        assertThat(table.select("", "/app/admin/y")).isEqualTo(new MountTable.Selection(1, "/app/admin", "/y", true));
        assertThat(table.select("", "/app")).isEqualTo(new MountTable.Selection(0, "/app", "", true));
        assertThat(table.select("", "/api/v1")).as("a trailing slash on the mountpoint does not count")
                .isEqualTo(new MountTable.Selection(2, "/api", "/v1", true));
    }

    @Test
    void onlyWholeSegmentsMatch() {
        MountTable table = new MountTable(List.of("/app"), true, false);
        assertThat(table.select("", "/application")).isEqualTo(new MountTable.Selection(-1, "", "/application",
                false));
    }

    @Test
    void withoutManageScriptNameTheFrontServersScriptNamePicksTheApp() {
        MountTable table = new MountTable(List.of("", "/a", "/b"), false, true);
        assertThat(table.select("/b", "/x")).isEqualTo(new MountTable.Selection(2, "/b", "/x", false));
        assertThat(table.select("/b/", "/x").app()).isEqualTo(2);
        assertThat(table.select("", "/a/x")).as("no rewriting: SCRIPT_NAME \"\" is the root app")
                .isEqualTo(new MountTable.Selection(0, "", "/a/x", false));
    }

    @Test
    void anUnmatchedRequestGoesToTheFirstAppUnlessNoDefaultApp() {
        assertThat(new MountTable(List.of("/a", "/b"), true, true).select("", "/c").app()).isZero();
        assertThat(new MountTable(List.of("/a", "/b"), true, false).select("", "/c").app()).isEqualTo(-1);
        assertThat(new MountTable(List.of("/a", "/b"), false, true).select("/zzz", "/").app()).isZero();
    }

    @Test
    void theRootIsNeverCutFromThePathAndAShortPathIsLeftAlone() {
        MountTable table = new MountTable(List.of("", "/a"), true, true);
        assertThat(table.select("", "/x")).isEqualTo(new MountTable.Selection(0, "", "/x", false));
        assertThat(table.select("", "/")).isEqualTo(new MountTable.Selection(0, "", "/", false));
        assertThat(new MountTable(List.of("/"), true, false).select("", "/x").app()).as("/ is the root").isZero();
    }

    @Test
    void mountValuesSplitAtTheirFirstEqualsSign() {
        assertThat(Mount.parse("/api=com.example.Api")).isEqualTo(new Mount("/api", "com.example.Api"));
        assertThat(Mount.parse(" /j = com/example/App:handle ")).isEqualTo(new Mount("/j", "com/example/App:handle"));
        assertThatThrownBy(() -> Mount.parse("com.example.Api")).hasMessage("invalid mountpoint: com.example.Api");
        assertThatThrownBy(() -> Mount.parse("/x=")).hasMessage("invalid mountpoint: /x=");
    }
}
