package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    private static final ZoneId ZONE = ZoneOffset.UTC;
    private static final long START_MICROS = ZonedDateTime.of(2026, 11, 25, 7, 50, 48, 935_981_000, ZONE)
            .toInstant().toEpochMilli() * 1000 + 981;

    /** The POST of uWSGI's measured line (see the ITs for the side-by-side run). */
    static final class Fake implements RequestLogEntry {
        String user = "";
        String referer;
        Map<String, String> vars = Map.of("HTTP_X_FOO", "bar");
        Map<String, String> logVars = Map.of();

        @Override public String addr() { return "127.0.0.1"; }
        @Override public String user() { return user; }
        @Override public String method() { return "POST"; }
        @Override public String uri() { return "/x?y=1"; }
        @Override public String proto() { return "HTTP/1.1"; }
        @Override public String host() { return "127.0.0.1:18283"; }
        @Override public String userAgent() { return "curl/7.88.1"; }
        @Override public String referer() { return referer; }
        @Override public int status() { return 200; }
        @Override public long bodyBytes() { return 6; }
        @Override public long headerBytes() { return 45; }
        @Override public int headerCount() { return 1; }
        @Override public long contentLength() { return 3; }
        @Override public long startMicros() { return START_MICROS; }
        @Override public long durationMicros() { return 166; }
        @Override public long pid() { return 24092; }
        @Override public int workerId() { return 1; }
        @Override public int core() { return 0; }
        @Override public int varCount() { return 30; }
        @Override public int varBytes() { return 341; }
        @Override public int modifier1() { return 0; }
        @Override public long rssBytes() { return 3 * 1024 * 1024 + 5; }
        @Override public long vszBytes() { return 7 * 1024 * 1024; }
        @Override public String var(String name) { return vars.get(name); }
        @Override public String logVar(String name) { return logVars.get(name); }
        @Override public int readErrors() { return 0; }
        @Override public int writeErrors() { return 1; }
    }

    private static String format(String format, RequestLogEntry e) {
        return LogFormat.compile(format, null, ZONE).format(e);
    }

    @Test
    void fillsUwsgisVariablesAsUwsgiDoes() {
        // the same format and request as a run of Debian's uWSGI 2.0.21 (python3 plugin), field by field
        String line = format("A=%(addr) U=%(user) LT=[%(ltime)] M=%(method) URI=%(uri) P=%(proto) S=%(status)"
                + " SZ=%(size) R=%(referer) UA=%(uagent) MS=%(msecs) US=%(micros) SECS=%(secs) T=%(time)"
                + " CT=%(ctime) PID=%(pid) WID=%(wid) SW=%(switches) V=%(vars) H=%(headers) C=%(core) CL=%(cl)"
                + " HS=%(hsize) RS=%(rsize) HOST=%(host) PK=%(pktsize) M1=%(modifier1) M2=%(modifier2)"
                + " TM=%(tmsecs) TU=%(tmicros) FOO=%(foo) VAR=%(var.HTTP_X_FOO) FT=%(ftime)", new Fake());
        assertThat(line).isEqualTo("A=127.0.0.1 U=- LT=[25/Nov/2026:07:50:48 +0000] M=POST URI=/x?y=1 P=HTTP/1.1"
                + " S=200 SZ=51 R=- UA=curl/7.88.1 MS=0 US=166 SECS=0.000166 T=1795593048"
                + " CT=Wed Nov 25 07:50:48 2026 PID=24092 WID=1 SW=1 V=30 H=1 C=0 CL=3 HS=45 RS=6"
                + " HOST=127.0.0.1:18283 PK=341 M1=0 M2=0 TM=1795593048935 TU=1795593048935981 FOO=- VAR=bar"
                + " FT=25/Nov/2026:07:50:48 +0000");
    }

    @Test
    void apacheCombinedFromTheDocs() {
        Fake e = new Fake();
        e.user = "alice";
        e.referer = "http://example.com/";
        assertThat(format("%(addr) - %(user) [%(ltime)] \"%(method) %(uri) %(proto)\" %(status) %(size)"
                + " \"%(referer)\" \"%(uagent)\"", e)).isEqualTo("127.0.0.1 - alice [25/Nov/2026:07:50:48 +0000]"
                + " \"POST /x?y=1 HTTP/1.1\" 200 51 \"http://example.com/\" \"curl/7.88.1\"");
    }

    @Test
    void memoryErrorsAndEpoch() {
        String line = format("%(rss) %(rssM) %(vsz) %(vszM) %(rerr) %(werr) %(ioerr) %(epoch)", new Fake());
        String[] f = line.split(" ");
        assertThat(f).startsWith("3145733", "3", "7340032", "7", "0", "1", "1");
        assertThat(Long.parseLong(f[7])).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset
                .offset(5L));
        assertThat(LogFormat.compile("%(rss)", null).usesMemory()).isTrue();
        assertThat(LogFormat.compile("%(status)", null).usesMemory()).isFalse();
    }

    @Test
    void logVarsFromRoutingAndRequestVariables() {
        Fake e = new Fake();
        e.logVars = Map.of("route", "old");
        assertThat(format("%(route)|%(other)|%(var.HTTP_X_FOO)|%(var.HTTP_NONE)", e)).isEqualTo("old|-|bar|-");
    }

    @Test
    void textThatIsNoVariableIsKept() {
        Fake e = new Fake();
        assertThat(format("100% %()%(status)%(unclosed", e)).isEqualTo("100% %()200%(unclosed");
        assertThat(format("", e)).isEmpty();
        assertThat(format("%(status)%(status)", e)).isEqualTo("200200");
        assertThat(format("{\"s\": %(status), \"u\": \"%(uri)\"}", e)).isEqualTo("{\"s\": 200, \"u\": \"/x?y=1\"}");
    }

    @Test
    void ftimeUsesTheLogDateFormatUnderLogFormatStrftime() {
        LogFormat f = LogFormat.compile("%(ftime)", Strftime.compile("%Y-%m-%dT%H:%M:%S"), ZONE);
        assertThat(f.format(new Fake())).isEqualTo("2026-11-25T07:50:48");
    }

    @Test
    void secondsAreCsPercentF() {
        StringBuilder out = new StringBuilder();
        LogFormat.seconds(out, 1_234_567);
        assertThat(out).hasToString("1.234567");
        out.setLength(0);
        LogFormat.seconds(out, 7);
        assertThat(out).hasToString("0.000007");
    }

    @Test
    void metricsAreRefused() {
        assertThatThrownBy(() -> LogFormat.compile("%(metric.worker.0.requests)", null))
                .hasMessageContaining("metric.worker.0.requests").hasMessageContaining("metrics");
    }
}
