package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When harakiri strikes, and how: uWSGI 2.0's uwsgi_master_check_harakiri with the graceful timeout. */
class HarakiriTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aRequestOlderThanTheLimitOnAnyCoreTriggersTheFirstAttempt() {
        long[] starts = {0, NOW - 3_000, NOW - 10_000};
        assertThat(Harakiri.due(5, 0, 0, 0, starts, NOW)).isEqualTo(new Harakiri.Attempt(1, 2, false));
        assertThat(Harakiri.due(5, 0, 0, 0, new long[] {NOW - 5_000}, NOW)).as("exactly the limit: not yet").isNull();
        assertThat(Harakiri.due(0, 0, 0, 0, starts, NOW)).as("harakiri off").isNull();
        assertThat(Harakiri.due(5, 0, 1, 0, starts, NOW)).as("one SIGKILL is enough").isNull();
    }

    @Test
    void withAGracefulTimeoutTheFirstAttemptIsGracefulAndTheSecondASigkillWhenDue() {
        long[] starts = {NOW - 10_000};
        assertThat(Harakiri.due(5, 3, 0, 0, starts, NOW)).isEqualTo(new Harakiri.Attempt(1, 0, true));
        assertThat(Harakiri.due(5, 3, 1, NOW + 1, starts, NOW)).as("not yet").isNull();
        assertThat(Harakiri.due(5, 3, 1, NOW, starts, NOW)).isEqualTo(new Harakiri.Attempt(2, 0, false));
        assertThat(Harakiri.due(5, 3, 1, NOW, new long[] {0, 0}, NOW))
                .as("the worker still runs, even idle: it was told to go").isEqualTo(new Harakiri.Attempt(2, 0, false));
        assertThat(Harakiri.due(5, 3, 2, NOW, starts, NOW)).as("after the SIGKILL").isNull();
    }

    @Test
    void theVerboseAccountOfAStuckRequestIsUwsgisLineThenTheJavaStack() {
        StackTraceElement frame = new StackTraceElement("app.Slow", "handle", "Slow.java", 12);
        long start = NOW - 10_000;
        String since = Log.ctime(LocalDateTime.ofInstant(Instant.ofEpochMilli(start), ZoneId.systemDefault()));
        assertThat(Harakiri.stuckRequestLines(1, 0, 42, "127.0.0.1 - GET /slow?x=1", start,
                new StackTraceElement[] {frame}))
                .containsExactly("HARAKIRI: --- uWSGI worker 1 core 0 (pid: 42) WAS managing request /slow?x=1 since "
                        + since + " ---", "\tat app.Slow.handle(Slow.java:12)");
        assertThat(Harakiri.uri("odd")).isEqualTo("odd");
    }

    @Test
    void procLinesReadThisProcesssSyscallAndWaitChannel() {
        assertThat(Harakiri.procLines(ProcessHandle.current().pid()))
                .allMatch(l -> l.startsWith("HARAKIRI: -- syscall> ") || l.startsWith("HARAKIRI: -- wchan> "));
        assertThat(Harakiri.procLines(Long.MAX_VALUE)).isEmpty();
    }
}
