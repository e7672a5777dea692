package dev.imperium.uwsgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link UwsgiVars#of}: the vars other protocols' parsers build. */
class UwsgiVarsTest {
    @Test
    void ofTakesTheFirstEntriesAndCopiesThem() {
        String[] names = {"A", "B", "C"};
        String[] values = {"1", "", "3"};
        UwsgiVars vars = UwsgiVars.of(names, values, 2);
        names[0] = "Z";
        values[1] = "changed";
        assertThat(vars.size()).isEqualTo(2);
        assertThat(vars.name(0)).isEqualTo("A");
        assertThat(vars.get("B")).isEmpty();
        assertThat(vars.get("C")).isNull();
        assertThat(vars).isEqualTo(UwsgiVars.of(new String[] {"A", "B"}, new String[] {"1", ""}, 2));
        assertThat(UwsgiVars.of(new String[0], new String[0], 0).size()).isZero();
    }

    @Test
    void ofRefusesWhatAParserNeverYields() {
        assertThatThrownBy(() -> UwsgiVars.of(new String[] {"A"}, new String[] {"1"}, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UwsgiVars.of(new String[] {"A"}, new String[] {"1"}, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UwsgiVars.of(new String[] {""}, new String[] {"1"}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UwsgiVars.of(new String[] {null}, new String[] {"1"}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UwsgiVars.of(new String[] {"A"}, new String[] {null}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
