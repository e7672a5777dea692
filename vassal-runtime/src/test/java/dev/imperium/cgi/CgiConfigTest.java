package dev.imperium.cgi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CgiConfigTest {

    @Test
    void readsMountpointsAndHelpersAsUwsgiSplitsThem() {
        CgiConfig config = CgiConfig.parse(List.of("/srv/cgi", "/cgi-bin=/srv/cgi-bin", "/x=/a=b"),
                List.of(".php=php-cgi", ".py = python3"), List.of(), List.of(), List.of(), List.of(), 0, 0, false,
                false, false);
        assertThat(config.mountpoints()).containsExactly(new CgiConfig.Mountpoint(null, "/srv/cgi"),
                new CgiConfig.Mountpoint("/cgi-bin", "/srv/cgi-bin"), new CgiConfig.Mountpoint("/x", "/a=b"));
        assertThat(config.helpers()).containsExactly(new CgiConfig.Helper(".php", "php-cgi"),
                new CgiConfig.Helper(".py", "python3"));
        assertThat(config.timeoutSeconds()).isEqualTo(60);
        assertThat(config.bufferSize()).isEqualTo(65536);
        assertThat(config.enabled()).isTrue();
    }

    @Test
    void refusesWhatUwsgiRefuses() {
        assertThatThrownBy(() -> CgiConfig.parseHelper("php-cgi"))
                .hasMessageContaining("invalid CGI helper syntax, must be ext=command");
        assertThatThrownBy(() -> CgiConfig.parseHelper(".so=sym://run")).hasMessageContaining("sym://");
        assertThatThrownBy(() -> CgiConfig.parseMountpoint("/cgi-bin=")).hasMessageContaining("[MOUNTPOINT=]PATH");
    }

    @Test
    void isOffWithoutAPath() {
        CgiConfig none = CgiConfig.parse(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 5, 0,
                false, false, false);
        assertThat(none.enabled()).isFalse();
        assertThat(none.timeoutSeconds()).isEqualTo(5);
    }
}
