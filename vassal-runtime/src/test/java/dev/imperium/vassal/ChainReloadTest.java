package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order of a chain reload: one slot at a time, the old worker retired only once its replacement accepts. */
class ChainReloadTest {
    /** Records the steps and which slots have an accepting worker, old or new. */
    private static final class Recorder implements ChainReload.Steps {
        final List<String> steps = new ArrayList<>();
        final Set<Integer> alreadyAccepting = new HashSet<>();

        @Override
        public void spawnNew(int slot) {
            steps.add("spawnNew " + slot);
        }

        @Override
        public void retireOld(int slot) {
            steps.add("retireOld " + slot);
        }

        @Override
        public boolean restoreOld(int slot) {
            steps.add("restoreOld " + slot);
            return alreadyAccepting.contains(slot);
        }

        @Override
        public void retireNew(int slot) {
            steps.add("retireNew " + slot);
        }

        @Override
        public void discardNew(int slot) {
            steps.add("discardNew " + slot);
        }

        @Override
        public void completed() {
            steps.add("completed");
        }

        @Override
        public void failed(String reason) {
            steps.add("failed: " + reason);
        }
    }

    private final Recorder recorder = new Recorder();

    @Test
    void eachOldWorkerIsRetiredOnlyAfterItsReplacementAcceptsThenTheNextSlotStarts() {
        ChainReload chain = new ChainReload(List.of(1, 2, 3), recorder);
        chain.start();
        assertThat(recorder.steps).containsExactly("spawnNew 1");
        assertThat(chain.slot()).isEqualTo(1);

        chain.newAccepting(2); // not the slot being replaced: nothing happens
        chain.oldAccepting(1); // an old worker respawned: nothing happens
        assertThat(recorder.steps).containsExactly("spawnNew 1");

        chain.newAccepting(1);
        chain.newAccepting(2);
        chain.newAccepting(3);

        assertThat(recorder.steps).containsExactly("spawnNew 1", "retireOld 1", "spawnNew 2", "retireOld 2",
                "spawnNew 3", "retireOld 3", "completed");
        assertThat(chain.phase()).isEqualTo(ChainReload.Phase.DONE);
        assertThat(chain.replaced()).containsExactly(1, 2, 3);
        chain.newAccepting(3);
        chain.newFailed(3, "late");
        assertThat(recorder.steps).as("nothing after the end").hasSize(7);
    }

    @Test
    void aSlotsAreTakenInTheGivenOrder() {
        ChainReload chain = new ChainReload(List.of(2, 5), recorder);
        chain.start();
        chain.newAccepting(2);
        chain.newAccepting(5);
        assertThat(recorder.steps).containsExactly("spawnNew 2", "retireOld 2", "spawnNew 5", "retireOld 5",
                "completed");
    }

    @Test
    void aFailureAtTheFirstSlotEndsTheChainWithEveryOldWorkerServing() {
        ChainReload chain = new ChainReload(List.of(1, 2), recorder);
        chain.start();
        chain.newFailed(1, "new worker 1 exited with code 22 before accepting");
        assertThat(recorder.steps).containsExactly("spawnNew 1", "discardNew 1",
                "failed: new worker 1 exited with code 22 before accepting");
        assertThat(chain.phase()).isEqualTo(ChainReload.Phase.DONE);
    }

    @Test
    void aLaterFailureRestoresTheReplacedSlotsBeforeRetiringTheirNewWorkers() {
        ChainReload chain = new ChainReload(List.of(1, 2, 3), recorder);
        chain.start();
        chain.newAccepting(1);
        chain.newAccepting(2);
        chain.newFailed(3, "timeout");

        assertThat(chain.phase()).isEqualTo(ChainReload.Phase.ROLLING_BACK);
        assertThat(recorder.steps).endsWith("spawnNew 3", "discardNew 3", "restoreOld 1", "restoreOld 2");
        chain.newAccepting(3);
        chain.oldAccepting(3); // slot 3's old worker never stopped: nothing to do
        chain.oldAccepting(2);
        assertThat(recorder.steps).endsWith("retireNew 2");
        chain.oldAccepting(1);
        assertThat(recorder.steps).endsWith("retireNew 2", "retireNew 1", "failed: timeout");
        assertThat(chain.phase()).isEqualTo(ChainReload.Phase.DONE);
    }

    @Test
    void aSlotWhoseOldWorkerAlreadyAcceptsAgainNeedsNoRestore() {
        ChainReload chain = new ChainReload(List.of(1, 2), recorder);
        recorder.alreadyAccepting.add(1);
        chain.start();
        chain.newAccepting(1);
        chain.newFailed(2, "boom");
        assertThat(recorder.steps).endsWith("discardNew 2", "restoreOld 1", "retireNew 1", "failed: boom");
    }

    private static VassalSettings settings(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("v.ini"), i / 2 + 2)));
        }
        return VassalSettings.from(new VassalConfig(Path.of("v.ini"), entries, List.of()));
    }

    @Test
    void onlyTheSocketsAndTheNumberOfProcessesStandInTheWayOfAChainReload() {
        VassalSettings two = settings("http-socket", ":1", "processes", "2");
        assertThat(ChainReload.obstacle(two, settings("http-socket", ":1", "processes", "2", "threads", "4",
                "jvm-opt", "-Xmx64m"), true)).isNull();
        assertThat(ChainReload.obstacle(two, settings("http-socket", ":1", "processes", "3"), true))
                .isEqualTo("the number of processes changed (2 -> 3)");
        assertThat(ChainReload.obstacle(two, settings("http-socket", ":2", "processes", "2"), false))
                .isEqualTo("the sockets changed");
    }
}
