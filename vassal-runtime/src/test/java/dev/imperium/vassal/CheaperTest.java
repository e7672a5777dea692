package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheaperTest {
    private static VassalConfig config(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("v.ini"), i / 2 + 2)));
        }
        return new VassalConfig(Path.of("v.ini"), entries, List.of());
    }

    private static Cheaper cheaper(List<String> log, String... keyValues) {
        return new Cheaper(Cheaper.Settings.from(config(keyValues), 8), log::add);
    }

    /** active workers, how many of them busy, free slots (8 processes in all). */
    private static Cheaper.Sample sample(int active, int busy) {
        return new Cheaper.Sample(active, busy, 8 - active, 0, 0);
    }

    @Test
    void settingsFollowUwsgisChecks() {
        assertThat(Cheaper.Settings.from(config(), 4).enabled()).as("off without cheaper").isFalse();
        Cheaper.Settings s = Cheaper.Settings.from(config("cheaper", "2"), 4);
        assertThat(s.initialWorkers()).as("cheaper-initial defaults to cheaper").isEqualTo(2);
        assertThat(s.step()).isEqualTo(1);
        assertThat(s.overload()).isEqualTo(3);
        assertThat(s.algo()).isEqualTo(Cheaper.Algo.SPARE);
        assertThat(s.warnings()).isEmpty();

        assertThatThrownBy(() -> Cheaper.Settings.from(config("cheaper", "4"), 4))
                .hasMessage("invalid cheaper value: must be lower than processes");
        assertThat(Cheaper.Settings.from(config("cheaper", "2", "cheaper-initial", "1"), 4).warnings())
                .containsExactly("warning: invalid cheaper-initial value (1), must be equal or higher than cheaper (2),"
                        + " using 2 as initial number of workers");
        Cheaper.Settings clamped = Cheaper.Settings.from(config("cheaper", "2", "cheaper-initial", "9"), 4);
        assertThat(clamped.initialWorkers()).isEqualTo(4);
        assertThat(clamped.warnings()).containsExactly("warning: invalid cheaper-initial value (9), must be lower or"
                + " equal than worker count (4), using 4 as initial number of workers");
        Cheaper.Settings unknown = Cheaper.Settings.from(config("cheaper", "1", "cheaper-algo", "busyness"), 4);
        assertThat(unknown.algo()).isEqualTo(Cheaper.Algo.SPARE);
        assertThat(unknown.warnings()).containsExactly("unable to find requested cheaper algorithm, falling back to"
                + " spare");
        assertThat(Cheaper.Settings.from(config("cheaper", "1", "cheaper-step", "0"), 4).step())
                .as("uWSGI spawns one worker with step 0").isEqualTo(1);
        assertThatThrownBy(() -> Cheaper.Settings.from(config("cheaper", "1", "cheaper-rss-limit-hard", "10"), 4))
                .hasMessageContaining("requires setting also cheaper-rss-limit-soft");
    }

    @Test
    void spareAddsAStepOfWorkersOnceEveryWorkerWasBusyForMoreThanTheOverloadCycles() {
        List<String> log = new ArrayList<>();
        Cheaper c = cheaper(log, "cheaper", "2", "cheaper-step", "3");
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 2))).as("3 cycles is not more than cheaper-overload 3").isZero();
        assertThat(c.decide(sample(2, 2))).as("the 4th overloaded cycle").isEqualTo(3);
        assertThat(c.decide(sample(5, 5))).as("the count starts again").isZero();
    }

    @Test
    void anIdleWorkerTakesAnOverloadedCycleBack() {
        Cheaper c = cheaper(new ArrayList<>(), "cheaper", "1", "cheaper-overload", "2");
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 1))).as("one idle worker: 2 overloaded cycles become 1").isZero();
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 2))).as("3 > 2").isEqualTo(1);
    }

    @Test
    void spareNeverAddsMoreWorkersThanThereAreFreeSlots() {
        Cheaper c = cheaper(new ArrayList<>(), "cheaper", "1", "cheaper-step", "4", "cheaper-overload", "0");
        assertThat(c.decide(new Cheaper.Sample(7, 7, 1, 0, 0))).isEqualTo(1);
        assertThat(c.decide(new Cheaper.Sample(8, 8, 0, 0, 0))).isZero();
    }

    @Test
    void oneIdleWorkerIsTheStableStateAndMoreAreCheapedEveryOverloadCyclesDownToTheMinimum() {
        Cheaper c = cheaper(new ArrayList<>(), "cheaper", "2", "cheaper-overload", "2");
        assertThat(c.decide(sample(5, 4))).as("exactly one spare worker: stable").isZero();
        assertThat(c.decide(sample(5, 2))).as("idle cycle 1").isZero();
        assertThat(c.decide(sample(5, 2))).as("idle cycle 2: cheap one").isEqualTo(-1);
        assertThat(c.decide(sample(4, 0))).isZero();
        assertThat(c.decide(sample(4, 0))).isEqualTo(-1);
        assertThat(c.decide(sample(3, 0))).isZero();
        assertThat(c.decide(sample(3, 0))).isEqualTo(-1);
        assertThat(c.decide(sample(2, 0))).isZero();
        assertThat(c.decide(sample(2, 0))).as("never below cheaper").isZero();
    }

    @Test
    void backlogAddsWorkersAboveTheOverloadAndCheapsBelowIt() {
        Cheaper c = cheaper(new ArrayList<>(), "cheaper", "1", "cheaper-algo", "backlog", "cheaper-step", "2");
        assertThat(c.decide(new Cheaper.Sample(1, 1, 7, 4, 0))).as("4 queued > 3").isEqualTo(2);
        assertThat(c.decide(new Cheaper.Sample(3, 3, 5, 3, 0))).as("3 queued: neither").isZero();
        assertThat(c.decide(new Cheaper.Sample(3, 0, 5, 0, 0))).isEqualTo(-1);
        assertThat(c.decide(new Cheaper.Sample(1, 0, 7, 0, 0))).as("at the minimum").isZero();
    }

    @Test
    void theFifoAdjustsTheCountOnceAndManualOnlyMovesWithIt() {
        Cheaper c = cheaper(new ArrayList<>(), "cheaper", "2", "cheaper-algo", "manual");
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 2))).isZero();
        assertThat(c.decide(sample(2, 2))).as("manual never scales by itself").isZero();
        assertThat(c.adjustWorkers(1)).isTrue();
        assertThat(c.adjustWorkers(1)).isTrue();
        assertThat(c.decide(sample(2, 0))).isEqualTo(2);
        assertThat(c.decide(sample(4, 0))).as("applied once").isZero();
        c.adjustWorkers(-5);
        assertThat(c.decide(sample(4, 0))).as("down to cheaper only").isEqualTo(-2);
        assertThat(new Cheaper(Cheaper.Settings.off(4), s -> { }).adjustWorkers(1))
                .as("ignored without cheaper mode").isFalse();
    }

    @Test
    void rssLimitsStopSpawningAndCheapAWorker() {
        List<String> log = new ArrayList<>();
        Cheaper c = cheaper(log, "cheaper", "1", "cheaper-overload", "0", "cheaper-rss-limit-soft", "1000",
                "cheaper-rss-limit-hard", "2000");
        assertThat(c.decide(new Cheaper.Sample(2, 2, 6, 0, 1500))).as("soft limit: no spawn").isZero();
        assertThat(c.decide(new Cheaper.Sample(2, 2, 6, 0, 500))).isEqualTo(1);
        assertThat(c.decide(new Cheaper.Sample(3, 3, 5, 0, 2500))).isEqualTo(-1);
        assertThat(log).containsExactly("cheaper hard rss memory limit exceeded, cheap one of 3 workers");
    }
}
