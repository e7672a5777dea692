package dev.imperium.emperor.dashboard;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardPageTest {
    private static String hash(String s) throws Exception {
        return "'sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))) + "'";
    }

    @Test
    void thePolicyLetsExactlyTheInlineStyleAndScriptRun() throws Exception {
        DashboardPage page = DashboardPage.of("<html><style>p{}</style><script>go()</script></html>");
        assertThat(page.contentSecurityPolicy())
                .contains("style-src " + hash("p{}") + ";")
                .contains("script-src " + hash("go()") + ";")
                .startsWith("default-src 'none';");
    }

    @Test
    void theRealPageWritesNoMarkupFromData() {
        String html = new String(DashboardPage.load().html(), StandardCharsets.UTF_8);
        String script = html.substring(html.indexOf("<script>"), html.indexOf("</script>"));
        assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function");
        assertThat(html).as("no external assets").doesNotContainPattern("(src|href)\\s*=")
                .doesNotContain("@import", "url(", "https://")
                .contains("<table", "<th scope=\"col\"");
    }

    @Test
    void aPageWithoutItsScriptIsRefused() {
        assertThatThrownBy(() -> DashboardPage.of("<style></style>")).isInstanceOf(IllegalArgumentException.class);
    }
}
