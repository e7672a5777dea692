package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdTest {
    private final List<String> log = new ArrayList<>();
    private final Htpasswd htpasswd = new Htpasswd(log::add);

    @Test
    void md5CryptMatchesOpenssl() {
        // openssl passwd -1 -salt saltsalt secret; openssl passwd -apr1 -salt abcdefgh 'pässwörd'; ...
        assertThat(Md5Crypt.crypt(utf8("secret"), "$1$", "saltsalt")).isEqualTo("$1$saltsalt$9xy1btjgzLYfb7hivXtC//");
        assertThat(Md5Crypt.crypt(utf8("pässwörd"), "$apr1$", "abcdefgh"))
                .isEqualTo("$apr1$abcdefgh$030j6I3f1zNCF9tihqdd11");
        assertThat(Md5Crypt.crypt(utf8(""), "$apr1$", "xy")).isEqualTo("$apr1$xy$43..WIhbfuznGvwoCyUek/");
        assertThat(Md5Crypt.crypt(utf8("a-very-long-password-longer-than-16-bytes"), "$1$", "12345678"))
                .isEqualTo("$1$12345678$HY8IaxO5VRfHIiwqjTY0m0");
        assertThat(Md5Crypt.verify(utf8("secret"), "$1$saltsalt$9xy1btjgzLYfb7hivXtC//")).isTrue();
        assertThat(Md5Crypt.verify(utf8("Secret"), "$1$saltsalt$9xy1btjgzLYfb7hivXtC//")).isFalse();
        assertThat(Md5Crypt.verify(utf8("secret"), "$1$saltsalt")).isFalse();
    }

    @Test
    void everySupportedHash(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("htpasswd"), String.join("\n",
                "# comment",
                "plain:secret",
                "sha:{SHA}GpHWL3ymc5liWkNopqtdSjuqYHM=",
                "apr:$apr1$abcdefgh$030j6I3f1zNCF9tihqdd11",
                "md5:$1$saltsalt$9xy1btjgzLYfb7hivXtC//",
                "bcrypt:$2y$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
                "des:abJnggxhB/yWI",
                "") + "\r\n");
        assertThat(htpasswd.check(file, "plain", "secret")).isTrue();
        assertThat(htpasswd.check(file, "plain", "secret2")).isFalse();
        assertThat(htpasswd.check(file, "sha", "pw")).isTrue();
        assertThat(htpasswd.check(file, "sha", "px")).isFalse();
        assertThat(htpasswd.check(file, "apr", "pässwörd")).isTrue();
        assertThat(htpasswd.check(file, "md5", "secret")).isTrue();
        assertThat(htpasswd.check(file, "nobody", "secret")).isFalse();
        assertThat(htpasswd.check(file, "bcrypt", "x")).isFalse();
        assertThat(htpasswd.check(file, "des", "abJnggxhB/yWI")).as("a DES hash is no plain password").isFalse();
        assertThat(log).hasSize(2).allMatch(l -> l.contains("unsupported password hash"));
        htpasswd.check(file, "bcrypt", "x");
        assertThat(log).as("reported once").hasSize(2);
    }

    @Test
    void theFileIsReadAgainWhenItChanges(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("htpasswd"), "a:1\n");
        assertThat(htpasswd.check(file, "a", "1")).isTrue();
        Files.writeString(file, "a:22\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(htpasswd.check(file, "a", "1")).isFalse();
        assertThat(htpasswd.check(file, "a", "22")).isTrue();
    }

    @Test
    void aMissingFileIsReportedOnceAndMatchesNobody(@TempDir Path dir) {
        Path file = dir.resolve("none");
        assertThat(htpasswd.check(file, "a", "1")).isFalse();
        assertThat(htpasswd.check(file, "a", "1")).isFalse();
        assertThat(log).containsExactly("[uwsgi-route] cannot read htpasswd file " + file + ": no such file");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
