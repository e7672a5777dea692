package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoggerSpecTest {
    private static LoggerSpec parse(String v) {
        return LoggerSpec.parse(v, false, "vm");
    }

    @Test
    void fileLoggers() {
        assertThat(parse("file:/var/log/app.log")).isEqualTo(new LoggerSpec.File("/var/log/app.log", 0, null));
        assertThat(parse("file:logfile=/tmp/r.log,maxsize=2048,backupname=/tmp/r.old"))
                .isEqualTo(new LoggerSpec.File("/tmp/r.log", 2048, "/tmp/r.old"));
        assertThatThrownBy(() -> parse("file:maxsize=10")).hasMessageContaining("missing logfile key");
        assertThatThrownBy(() -> parse("file:")).hasMessageContaining("missing path");
    }

    @Test
    void syslogIsDevLogWithUwsgisDefaults() {
        LoggerSpec.Datagram d = (LoggerSpec.Datagram) parse("syslog");
        assertThat(d.address().path()).isEqualTo("/dev/log");
        assertThat(d.framing().style()).isEqualTo(SyslogFormat.Style.RFC3164_LOCAL);
        assertThat(d.framing().tag()).isEqualTo("uwsgi");
        assertThat(d.framing().pri()).as("daemon.info").isEqualTo(30);
        LoggerSpec.Datagram mine = (LoggerSpec.Datagram) parse("syslog:myapp,local3");
        assertThat(mine.framing().tag()).isEqualTo("myapp");
        assertThat(mine.framing().pri()).isEqualTo(19 * 8 + 6);
        assertThatThrownBy(() -> parse("syslog:x,nope")).hasMessageContaining("unknown facility 'nope'");
        LoggerSpec.Datagram rfc5424 = (LoggerSpec.Datagram) LoggerSpec.parse("syslog", true, "vm");
        assertThat(rfc5424.framing().style()).isEqualTo(SyslogFormat.Style.RFC5424);
    }

    @Test
    void rsyslogIsUdpWithUwsgisPrefixAndPri() {
        LoggerSpec.Datagram d = (LoggerSpec.Datagram) parse("rsyslog:127.0.0.1:1514");
        assertThat(d.address()).isEqualTo(new LoggerSpec.Address("127.0.0.1", 1514, null));
        assertThat(d.framing().tag()).isEqualTo("vm uwsgi");
        assertThat(d.framing().pri()).isEqualTo(29);
        assertThat(d.framing().maxBytes()).isEqualTo(1024);
        LoggerSpec.Datagram p = (LoggerSpec.Datagram) parse("rsyslog:localhost,web1 app,134");
        assertThat(p.address().port()).as("default port").isEqualTo(514);
        assertThat(p.framing().tag()).isEqualTo("web1 app");
        assertThat(p.framing().pri()).isEqualTo(134);
        assertThat(((LoggerSpec.Datagram) parse("rsyslog:/run/log.sock")).address().path()).isEqualTo("/run/log.sock");
        assertThatThrownBy(() -> parse("rsyslog")).hasMessageContaining("invalid rsyslog syntax");
        assertThatThrownBy(() -> parse("rsyslog:h:1,p,999")).hasMessageContaining("0..191");
    }

    @Test
    void socketStdioAndRefusals() {
        LoggerSpec.Datagram s = (LoggerSpec.Datagram) parse("socket:[::1]:9000");
        assertThat(s.address()).isEqualTo(new LoggerSpec.Address("::1", 9000, null));
        assertThat(s.framing().style()).isEqualTo(SyslogFormat.Style.RAW);
        assertThat(parse("stdio")).isInstanceOf(LoggerSpec.Stdio.class);
        assertThatThrownBy(() -> parse("socket:nohost")).hasMessageContaining("invalid udp address");
        assertThatThrownBy(() -> parse("redislog:127.0.0.1:6379")).hasMessageContaining("unable to find logger redislog");
        assertThatThrownBy(() -> parse("mylog file:/tmp/x")).hasMessageContaining("log-route");
    }
}
