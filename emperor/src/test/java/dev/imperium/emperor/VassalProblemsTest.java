package dev.imperium.emperor;

import dev.imperium.emperor.Vassal.Incarnation;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class VassalProblemsTest {
    private static final Duration T = Duration.ofSeconds(60);
    private final Vassal vassal = new Vassal("app.ini");
    private final Incarnation inc = new Incarnation(vassal, 1, "token");

    private String describe(VassalState state, VassalEvent event) {
        return VassalProblems.describe(state, event, inc, T);
    }

    @Test
    void aCrashIsWordedAsTheRespawnLogLine() {
        inc.lastFatal = "cannot load app: boom";
        inc.exit = ExitStatus.exited(3);
        assertThat(describe(VassalState.STARTING, VassalEvent.FATAL)).isEqualTo("fatal error: cannot load app: boom");
        assertThat(describe(VassalState.STARTING, VassalEvent.EXITED))
                .isEqualTo("exited with code 3; last FATAL: cannot load app: boom");
        inc.lastFatal = null;
        inc.exit = ExitStatus.exited(137);
        assertThat(describe(VassalState.RUNNING, VassalEvent.EXITED)).isEqualTo("was killed by signal 9 (SIGKILL)");
        inc.abortReason = "not ready within 60 s";
        assertThat(describe(VassalState.ABORTING, VassalEvent.EXITED))
                .isEqualTo("not ready within 60 s, then was killed by signal 9 (SIGKILL)");
    }

    @Test
    void refusedAndSlowReloadsKeepTheOldGeneration() {
        inc.generation = 2;
        inc.lastReloadFailure = "app.ini:4: unsupported: option 'wsgi-file'";
        assertThat(describe(VassalState.RELOADING, VassalEvent.RELOAD_FAILED))
                .isEqualTo("refused the reload: app.ini:4: unsupported: option 'wsgi-file'; generation 2 keeps serving");
        assertThat(describe(VassalState.RELOADING_RELOAD_QUEUED, VassalEvent.READY_TIMEOUT))
                .isEqualTo("did not finish its reload within 60 s; generation 2 keeps serving");
        assertThat(describe(VassalState.STARTING, VassalEvent.READY_TIMEOUT)).isEqualTo("not ready within 60 s");
    }

    @Test
    void anAskedForStopAndOrdinaryEventsAreNoErrors() {
        inc.exit = ExitStatus.exited(0);
        for (VassalState s : new VassalState[] {VassalState.STOPPING, VassalState.KILLING,
            VassalState.STOPPING_THEN_START, VassalState.KILLING_THEN_START}) {
            assertThat(describe(s, VassalEvent.EXITED)).as(s.name()).isNull();
        }
        for (VassalEvent e : new VassalEvent[] {VassalEvent.FILE_CHANGED, VassalEvent.ACCEPTING, VassalEvent.LOYAL,
            VassalEvent.SPAWNED, VassalEvent.STOP_REQUESTED, VassalEvent.STABLE_ELAPSED}) {
            assertThat(describe(VassalState.RUNNING, e)).as(e.name()).isNull();
        }
        assertThat(VassalProblems.describe(VassalState.BACKOFF, VassalEvent.EXITED, null, T)).isNull();
    }

    @Test
    void theLastErrorOutlivesItsProcessUntilANewerOne() {
        vassal.state = VassalState.STARTING;
        vassal.current = inc;
        inc.exit = ExitStatus.exited(1);
        VassalProblems.note(vassal, VassalEvent.EXITED, T, 1000);
        vassal.state = VassalState.BACKOFF;
        vassal.current = null;
        VassalProblems.note(vassal, VassalEvent.BACKOFF_ELAPSED, T, 2000);
        assertThat(vassal.lastError).isEqualTo("exited with code 1");
        assertThat(vassal.lastErrorMillis).isEqualTo(1000);
    }
}
