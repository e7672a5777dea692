package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonSpecTest {
    @Test
    void attachDaemonRunsTheCommandInTheForegroundWithUwsgisDefaults() {
        DaemonSpec d = DaemonSpec.parse("attach-daemon", " memcached -p 11311 ", false);
        assertThat(d.command()).isEqualTo("memcached -p 11311");
        assertThat(d.smart()).isFalse();
        assertThat(d.control()).isFalse();
        assertThat(d.stopSignal()).isEqualTo(15);
        assertThat(d.reloadSignal()).isZero();
        assertThat(d.freq()).isEqualTo(10);
        assertThat(DaemonSpec.parse("attach-control-daemon", "tail -f x", false).control()).isTrue();
        assertThatThrownBy(() -> DaemonSpec.parse("attach-daemon", "  ", false)).hasMessage("needs a command");
    }

    @Test
    void smartAttachDaemonTakesThePidfileAndAnOptionalFrequencyBeforeTheCommand() {
        DaemonSpec d = DaemonSpec.parse("smart-attach-daemon", "/tmp/memcached.pid memcached -d -P /tmp/memcached.pid",
                false);
        assertThat(d.pidfile()).isEqualTo("/tmp/memcached.pid");
        assertThat(d.command()).isEqualTo("memcached -d -P /tmp/memcached.pid");
        assertThat(d.daemonize()).isFalse();
        DaemonSpec two = DaemonSpec.parse("smart-attach-daemon2", "run/w.pid,5 python worker.py", false);
        assertThat(two.pidfile()).isEqualTo("run/w.pid");
        assertThat(two.freq()).isEqualTo(5);
        assertThat(two.daemonize()).as("the master writes the pidfile").isTrue();
        assertThatThrownBy(() -> DaemonSpec.parse("smart-attach-daemon", "/tmp/x.pid", false))
                .hasMessageContaining("expected PIDFILE COMMAND");
    }

    @Test
    void attachDaemon2ReadsUwsgisKeywords() {
        DaemonSpec d = DaemonSpec.parse("attach-daemon2", "cmd=my.sh --a\\,b,pidfile=/run/x.pid,daemonize=1,"
                + "stopsignal=2,reload_signal=HUP,freq=3,touch=a.txt;\"b c.txt\",control=true,stdin=1,uid=33,gid=34,"
                + "chdir=/srv,max_throttle=7,notifypid=yes", false);
        assertThat(d.command()).as("a backslash escapes the comma").isEqualTo("my.sh --a,b");
        assertThat(d.pidfile()).isEqualTo("/run/x.pid");
        assertThat(d.daemonize()).isTrue();
        assertThat(d.stopSignal()).isEqualTo(2);
        assertThat(d.reloadSignal()).isEqualTo(1);
        assertThat(d.freq()).isEqualTo(3);
        assertThat(d.touch()).containsExactly("a.txt", "b c.txt");
        assertThat(d.control()).isTrue();
        assertThat(d.honourStdin()).isTrue();
        assertThat(d.uid()).isEqualTo(33);
        assertThat(d.gid()).isEqualTo(34);
        assertThat(d.chdir()).isEqualTo("/srv");
        assertThat(d.maxThrottle()).isEqualTo(7);
        assertThat(d.notifyPid()).isTrue();

        DaemonSpec plain = DaemonSpec.parse("attach-daemon2", "exec=sleep 5", true);
        assertThat(plain.command()).isEqualTo("sleep 5");
        assertThat(plain.smart()).isFalse();
        assertThat(plain.honourStdin()).as("daemons-honour-stdin").isTrue();
        assertThat(plain.uid()).isEqualTo(-1);
    }

    @Test
    void attachDaemon2RefusesWhatItCannotHonour() {
        assertThatThrownBy(() -> DaemonSpec.parse("attach-daemon2", "pidfile=/x.pid", false))
                .hasMessage("you need to specify a 'command' key");
        assertThatThrownBy(() -> DaemonSpec.parse("attach-daemon2", "cmd=x,colour=red", false))
                .hasMessageStartingWith("unknown key 'colour'");
        assertThatThrownBy(() -> DaemonSpec.parse("attach-daemon2", "cmd=x,ns_pid=1", false))
                .hasMessage("key 'ns_pid' is not supported by Imperium");
        assertThatThrownBy(() -> DaemonSpec.parse("attach-daemon2", "cmd=x,daemonize=1", false))
                .hasMessage("'daemonize' needs a 'pidfile' key");
        assertThatThrownBy(() -> DaemonSpec.parse("attach-daemon2", "cmd=x,stopsignal=BOOM", false))
                .hasMessageStartingWith("unknown signal 'BOOM'");
        assertThatThrownBy(() -> DaemonSpec.parse("attach-daemon2", "cmd=x,freq", false))
                .hasMessageContaining("is no key=value");
    }

    @Test
    void everyDaemonOptionOfAConfigIsReadInOrderAndAnErrorNamesItsLine() {
        VassalConfig config = new VassalConfig(Path.of("v.ini"), List.of(
                new ConfigEntry("attach-daemon", "a", new Origin(Path.of("v.ini"), 2)),
                new ConfigEntry("http-socket", ":1", new Origin(Path.of("v.ini"), 3)),
                new ConfigEntry("attach_daemon2", "cmd=b", new Origin(Path.of("v.ini"), 4)),
                new ConfigEntry("daemons-honour-stdin", "true", new Origin(Path.of("v.ini"), 5))), List.of());
        assertThat(DaemonSpec.from(config)).extracting(DaemonSpec::command).containsExactly("a", "b");
        assertThat(DaemonSpec.from(config)).allMatch(DaemonSpec::honourStdin);

        VassalConfig bad = new VassalConfig(Path.of("v.ini"), List.of(
                new ConfigEntry("smart-attach-daemon", "only-a-pidfile", new Origin(Path.of("v.ini"), 7))), List.of());
        assertThatThrownBy(() -> DaemonSpec.from(bad)).hasMessageStartingWith("v.ini:7: smart-attach-daemon:");
    }

    @Test
    void theCommandLineGivesAForegroundDaemonASessionAndDiesWithTheMaster() {
        assertThat(AttachedDaemons.command(DaemonSpec.parse("attach-daemon", "sleep 9", false), null))
                .containsExactly("setpriv", "--pdeathsig", "RTMIN+6", "--", "setsid", "/bin/sh", "-c",
                        AttachedDaemons.LEADER, "imperium-daemon", "sleep 9");
        assertThat(AttachedDaemons.command(DaemonSpec.parse("smart-attach-daemon", "/p.pid food -d", false), null))
                .as("a smart daemon survives the master").containsExactly("setsid", "/bin/sh", "-c", "food -d");
        assertThat(AttachedDaemons.command(DaemonSpec.parse("attach-daemon2", "cmd=w,pidfile=p,daemonize=1,uid=33",
                false), Path.of("/run/p"))).containsExactly("setpriv", "--reuid", "33", "--", "setsid", "/bin/sh",
                "-c", AttachedDaemons.WRITE_PIDFILE, "imperium-daemon", "/run/p", "w");
    }
}
