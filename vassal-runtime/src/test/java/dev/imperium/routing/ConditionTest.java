package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConditionTest {
    @Test
    void namesAndAliases() {
        assertThat(Condition.named("==")).isEqualTo(Condition.EQUAL);
        assertThat(Condition.named("eq")).isEqualTo(Condition.EQUAL);
        assertThat(Condition.named("isequal")).isEqualTo(Condition.EQUAL);
        assertThat(Condition.named("re")).isEqualTo(Condition.REGEXP);
        assertThat(Condition.named("contain")).isEqualTo(Condition.CONTAINS);
        assertThat(Condition.named(">=")).isEqualTo(Condition.ISHIGHEREQUAL);
        assertThat(Condition.named("<")).isEqualTo(Condition.ISLOWER);
        assertThat(Condition.named("lord")).isNull();
        assertThat(Condition.EMPTY.operands()).isEqualTo(1);
        assertThat(Condition.STARTSWITH.operands()).isEqualTo(2);
    }

    @Test
    void textConditions() {
        assertThat(Condition.EQUAL.test("FOO", "BAR")).isFalse();
        assertThat(Condition.EQUAL.test("x", "x")).isTrue();
        assertThat(Condition.STARTSWITH.test("/api/v1", "/api")).isTrue();
        assertThat(Condition.STARTSWITH.test("/ap", "/api")).isFalse();
        assertThat(Condition.ENDSWITH.test("a.php", ".php")).isTrue();
        assertThat(Condition.ENDSWITH.test("php", ".php")).isFalse();
        assertThat(Condition.CONTAINS.test("gzip, deflate", "gzip")).isTrue();
        assertThat(Condition.EMPTY.test("", null)).isTrue();
        assertThat(Condition.EMPTY.test(" ", null)).isFalse();
    }

    @Test
    void numbersCompareAsStrtol() {
        assertThat(Condition.ISHIGHER.test("10", "9")).isTrue();
        assertThat(Condition.ISHIGHER.test("9", "10")).isFalse();
        assertThat(Condition.ISHIGHEREQUAL.test("5", "5")).isTrue();
        assertThat(Condition.ISLOWER.test("abc", "1")).isTrue();
        assertThat(Condition.ISLOWEREQUAL.test("2kb", "2")).isTrue();
    }

    @Test
    void networks() {
        assertThat(Condition.IPV4IN.test("192.168.1.7", "192.168.0.0/16")).isTrue();
        assertThat(Condition.IPV4IN.test("192.169.1.7", "192.168.0.0/16")).isFalse();
        assertThat(Condition.IPV4IN.test("10.0.0.1", "10.0.0.1")).isTrue();
        assertThat(Condition.IPV4IN.test("10.0.0.1", "0.0.0.0/0")).isTrue();
        assertThat(Condition.IPV4IN.test("10.0.0.1", "10.0.0.0/33")).isFalse();
        assertThat(Condition.IPV4IN.test("::1", "10.0.0.0/8")).isFalse();
        assertThat(Condition.IPV4IN.test("localhost", "127.0.0.0/8")).as("no name is looked up").isFalse();
        assertThat(Condition.IPV6IN.test("2001:db8::1", "2001:db8::/32")).isTrue();
        assertThat(Condition.IPV6IN.test("2001:db9::1", "2001:db8::/32")).isFalse();
        assertThat(Condition.IPV6IN.test("::1", "::1")).isTrue();
        assertThat(Condition.IPV6IN.test("::ffff:10.1.2.3", "::ffff:10.0.0.0/104")).isTrue();
        assertThat(Condition.IPV6IN.test("2001:db8::1", "2001:db8::/x")).isFalse();
    }

    @Test
    void fileConditions(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), file);
        assertThat(Condition.EXISTS.test(file.toString(), null)).isTrue();
        assertThat(Condition.EXISTS.test(dir.resolve("none").toString(), null)).isFalse();
        assertThat(Condition.EXISTS.test("", null)).isFalse();
        assertThat(Condition.ISFILE.test(file.toString(), null)).isTrue();
        assertThat(Condition.ISFILE.test(dir.toString(), null)).isFalse();
        assertThat(Condition.ISFILE.test(link.toString(), null)).isTrue();
        assertThat(Condition.ISDIR.test(dir.toString(), null)).isTrue();
        assertThat(Condition.ISDIR.test(file.toString(), null)).isFalse();
        assertThat(Condition.ISLINK.test(link.toString(), null)).isTrue();
        assertThat(Condition.ISLINK.test(file.toString(), null)).isFalse();
        assertThat(Condition.ISEXEC.test(dir.toString(), null)).isTrue();
    }
}
