package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerScalingTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<Scoreboard> boards = new ArrayList<>();
    private Generation generation;
    private boolean serving = true;
    private boolean dies;
    private long now = 1_764_000_000_000L;

    @AfterEach
    void unmap() {
        boards.forEach(Scoreboard::close);
    }

    private static VassalSettings settings(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("v.ini"), i / 2 + 2)));
        }
        return VassalSettings.from(new VassalConfig(Path.of("v.ini"), entries, List.of()));
    }

    /** A master that records what it is asked to do; a spawned worker accepts at once. */
    private final WorkerScaling.Host host = new WorkerScaling.Host() {
        @Override
        public Generation current() {
            return generation;
        }

        @Override
        public boolean serving() {
            return serving;
        }

        @Override
        public void spawn(Generation g, int id, boolean again) {
            actions.add((again ? "respawn " : "spawn ") + id);
            worker(g, id);
        }

        @Override
        public void cheap(WorkerHandle worker) {
            actions.add("cheap " + worker.id);
            worker.cheaped = true;
            worker.state = WorkerHandle.State.STOPPING;
        }

        @Override
        public boolean dieOnIdle() {
            actions.add("die");
            return dies;
        }
    };

    private WorkerHandle worker(Generation g, int id) {
        WorkerHandle w = new WorkerHandle(id, g, "t" + id);
        w.state = WorkerHandle.State.ACCEPTING;
        try {
            w.scoreboard = Scoreboard.create(dir.resolve("sb-" + id + "-" + System.nanoTime()), 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        boards.add(w.scoreboard);
        g.workers.put(id, w);
        return w;
    }

    private WorkerScaling start(VassalSettings s) {
        generation = new Generation(1, s, List.of());
        WorkerScaling scaling = new WorkerScaling(host, Runnable::run, log::add, () -> now);
        generation.startWorkers = scaling.startCount(generation, null);
        for (int id = 1; id <= generation.startWorkers; id++) {
            worker(generation, id);
        }
        return scaling;
    }

    @Test
    void cheaperStartsWithCheaperInitialAddsTheLowestFreeSlotAndCheapsTheOldestIdleWorker() throws Exception {
        WorkerScaling scaling = start(settings("processes", "3", "cheaper", "1", "cheaper-overload", "0"));
        assertThat(generation.startWorkers).isEqualTo(1);
        generation.workers.get(1).scoreboard.begin(0, 1, "busy");

        scaling.check();
        assertThat(actions).containsExactly("spawn 2");
        generation.workers.get(2).scoreboard.begin(0, 1, "busy");
        scaling.check();
        assertThat(actions).containsExactly("spawn 2", "spawn 3");

        generation.workers.values().forEach(w -> w.scoreboard.end(0));
        scaling.check();
        assertThat(actions).as("the oldest idle").containsExactly("spawn 2", "spawn 3", "cheap 1");
        scaling.check();
        assertThat(actions).endsWith("cheap 2");
        scaling.check();
        assertThat(actions).as("down to cheaper").hasSize(4);

        // slot 1 is free again once its worker is gone: a start there is a respawn
        generation.workers.get(1).state = WorkerHandle.State.DEAD;
        generation.workers.get(3).scoreboard.begin(0, 1, "busy");
        scaling.check();
        assertThat(actions).endsWith("respawn 1");
    }

    @Test
    void theFifoAddsWorkersAtTheNextCycleOnlyInCheaperMode() {
        WorkerScaling scaling = start(settings("processes", "4", "cheaper", "1", "cheaper-algo", "manual"));
        scaling.check();
        assertThat(scaling.adjustWorkers(2)).isTrue();
        scaling.check();
        assertThat(actions).containsExactly("spawn 2", "spawn 3");
        assertThat(start(settings("processes", "4")).adjustWorkers(1)).isFalse();
    }

    @Test
    void aReloadStartsWithTheWorkersTheLoadAskedFor() {
        WorkerScaling scaling = start(settings("processes", "4", "cheaper", "1", "cheaper-initial", "2"));
        worker(generation, 3);
        Generation next = new Generation(2, generation.settings, List.of());
        assertThat(scaling.startCount(next, generation)).isEqualTo(3);
        Generation plain = new Generation(2, settings("processes", "4"), List.of());
        assertThat(scaling.startCount(plain, generation)).isEqualTo(4);
    }

    @Test
    void idleCheapsEveryWorkerOrEndsTheVassal() {
        WorkerScaling scaling = start(settings("processes", "2", "idle", "1"));
        scaling.check();
        assertThat(actions).isEmpty();
        now += 2_100;
        scaling.check();
        assertThat(actions).containsExactly("cheap 1", "cheap 2");
        assertThat(log.getFirst()).startsWith("workers have been inactive for more than 1 seconds (");
        assertThat(log).endsWith("cheap mode enabled: waiting for socket connection...");
        assertThat(scaling.inCheapMode()).isTrue();
        scaling.check();
        assertThat(scaling.inCheapMode()).as("still asleep while the cheaped workers finish").isTrue();

        actions.clear();
        dies = true;
        WorkerScaling dying = start(settings("processes", "1", "idle", "1", "die-on-idle", "true"));
        dying.check();
        now += 2_100;
        dying.check();
        assertThat(actions).containsExactly("die");
    }
}
