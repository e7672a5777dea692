package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every (state, event) pair of {@link VassalStateMachine}, with its expected next state and actions. The table is
 * checked for completeness against the enums: a new state or event fails this test until each of its pairs is
 * written down here.
 */
class VassalStateMachineTest {
    /** state | event | next state | actions in order ("-" for none). */
    private static final String TABLE = """
        NEW | FILE_CHANGED | STARTING | SPAWN, ARM_READY_TIMER
        NEW | RELOAD_REQUESTED | NEW | -
        NEW | STOP_REQUESTED | GONE | -
        NEW | SPAWNED | NEW | -
        NEW | ACCEPTING | NEW | -
        NEW | RELOAD_FAILED | NEW | -
        NEW | LOYAL | NEW | -
        NEW | FATAL | NEW | -
        NEW | CONTROL_LOST | NEW | -
        NEW | EXITED | NEW | -
        NEW | READY_TIMEOUT | NEW | -
        NEW | MERCY_TIMEOUT | NEW | -
        NEW | BACKOFF_ELAPSED | NEW | -
        NEW | STABLE_ELAPSED | NEW | -

        STARTING | FILE_CHANGED | STARTING_RELOAD_QUEUED | RESET_BACKOFF, LOG_RELOAD_QUEUED
        STARTING | RELOAD_REQUESTED | STARTING | -
        STARTING | STOP_REQUESTED | STOPPING | LOG_STOP, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER
        STARTING | SPAWNED | STARTING | LOG_SPAWNED
        STARTING | ACCEPTING | RUNNING | LOG_READY, ARM_STABLE_TIMER
        STARTING | RELOAD_FAILED | STARTING | LOG_RELOAD_FAILED
        STARTING | LOYAL | STARTING | LOG_LOYAL
        STARTING | FATAL | STARTING | LOG_FATAL
        STARTING | CONTROL_LOST | ABORTING | LOG_CURSE, ARM_MERCY_TIMER
        STARTING | EXITED | BACKOFF | LOG_CURSE, LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF
        STARTING | READY_TIMEOUT | ABORTING | LOG_START_TIMEOUT, KILL_GROUP, ARM_MERCY_TIMER
        STARTING | MERCY_TIMEOUT | STARTING | -
        STARTING | BACKOFF_ELAPSED | STARTING | -
        STARTING | STABLE_ELAPSED | STARTING | -

        STARTING_RELOAD_QUEUED | FILE_CHANGED | STARTING_RELOAD_QUEUED | -
        STARTING_RELOAD_QUEUED | RELOAD_REQUESTED | STARTING_RELOAD_QUEUED | -
        STARTING_RELOAD_QUEUED | STOP_REQUESTED | STOPPING | LOG_STOP, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER
        STARTING_RELOAD_QUEUED | SPAWNED | STARTING_RELOAD_QUEUED | LOG_SPAWNED
        STARTING_RELOAD_QUEUED | ACCEPTING | RELOADING | LOG_READY, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER
        STARTING_RELOAD_QUEUED | RELOAD_FAILED | STARTING_RELOAD_QUEUED | LOG_RELOAD_FAILED
        STARTING_RELOAD_QUEUED | LOYAL | STARTING_RELOAD_QUEUED | LOG_LOYAL
        STARTING_RELOAD_QUEUED | FATAL | STARTING_RELOAD_QUEUED | LOG_FATAL
        STARTING_RELOAD_QUEUED | CONTROL_LOST | ABORTING | LOG_CURSE, ARM_MERCY_TIMER
        STARTING_RELOAD_QUEUED | EXITED | BACKOFF | LOG_CURSE, LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF
        STARTING_RELOAD_QUEUED | READY_TIMEOUT | ABORTING | LOG_START_TIMEOUT, KILL_GROUP, ARM_MERCY_TIMER
        STARTING_RELOAD_QUEUED | MERCY_TIMEOUT | STARTING_RELOAD_QUEUED | -
        STARTING_RELOAD_QUEUED | BACKOFF_ELAPSED | STARTING_RELOAD_QUEUED | -
        STARTING_RELOAD_QUEUED | STABLE_ELAPSED | STARTING_RELOAD_QUEUED | -

        RUNNING | FILE_CHANGED | RELOADING | RESET_BACKOFF, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER
        RUNNING | RELOAD_REQUESTED | RELOADING | LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER
        RUNNING | STOP_REQUESTED | STOPPING | LOG_STOP, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER
        RUNNING | SPAWNED | RUNNING | LOG_SPAWNED
        RUNNING | ACCEPTING | RUNNING | LOG_READY
        RUNNING | RELOAD_FAILED | RUNNING | LOG_RELOAD_FAILED
        RUNNING | LOYAL | RUNNING | LOG_LOYAL
        RUNNING | FATAL | RUNNING | LOG_FATAL
        RUNNING | CONTROL_LOST | ABORTING | LOG_CURSE, ARM_MERCY_TIMER
        RUNNING | EXITED | BACKOFF | LOG_CURSE, LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF
        RUNNING | READY_TIMEOUT | RUNNING | -
        RUNNING | MERCY_TIMEOUT | RUNNING | -
        RUNNING | BACKOFF_ELAPSED | RUNNING | -
        RUNNING | STABLE_ELAPSED | RUNNING | RESET_BACKOFF

        RELOADING | FILE_CHANGED | RELOADING_RELOAD_QUEUED | RESET_BACKOFF, LOG_RELOAD_QUEUED
        RELOADING | RELOAD_REQUESTED | RELOADING | -
        RELOADING | STOP_REQUESTED | STOPPING | LOG_STOP, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER
        RELOADING | SPAWNED | RELOADING | LOG_SPAWNED
        RELOADING | ACCEPTING | RUNNING | LOG_READY, ARM_STABLE_TIMER
        RELOADING | RELOAD_FAILED | RUNNING | LOG_RELOAD_FAILED, ARM_STABLE_TIMER
        RELOADING | LOYAL | RELOADING | LOG_LOYAL
        RELOADING | FATAL | RELOADING | LOG_FATAL
        RELOADING | CONTROL_LOST | ABORTING | LOG_CURSE, ARM_MERCY_TIMER
        RELOADING | EXITED | BACKOFF | LOG_CURSE, LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF
        RELOADING | READY_TIMEOUT | RUNNING | LOG_RELOAD_TIMEOUT, ARM_STABLE_TIMER
        RELOADING | MERCY_TIMEOUT | RELOADING | -
        RELOADING | BACKOFF_ELAPSED | RELOADING | -
        RELOADING | STABLE_ELAPSED | RELOADING | -

        RELOADING_RELOAD_QUEUED | FILE_CHANGED | RELOADING_RELOAD_QUEUED | -
        RELOADING_RELOAD_QUEUED | RELOAD_REQUESTED | RELOADING_RELOAD_QUEUED | -
        RELOADING_RELOAD_QUEUED | STOP_REQUESTED | STOPPING | LOG_STOP, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER
        RELOADING_RELOAD_QUEUED | SPAWNED | RELOADING_RELOAD_QUEUED | LOG_SPAWNED
        RELOADING_RELOAD_QUEUED | ACCEPTING | RELOADING | LOG_READY, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER
        RELOADING_RELOAD_QUEUED | RELOAD_FAILED | RELOADING | LOG_RELOAD_FAILED, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER
        RELOADING_RELOAD_QUEUED | LOYAL | RELOADING_RELOAD_QUEUED | LOG_LOYAL
        RELOADING_RELOAD_QUEUED | FATAL | RELOADING_RELOAD_QUEUED | LOG_FATAL
        RELOADING_RELOAD_QUEUED | CONTROL_LOST | ABORTING | LOG_CURSE, ARM_MERCY_TIMER
        RELOADING_RELOAD_QUEUED | EXITED | BACKOFF | LOG_CURSE, LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF
        RELOADING_RELOAD_QUEUED | READY_TIMEOUT | RELOADING | LOG_RELOAD_TIMEOUT, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER
        RELOADING_RELOAD_QUEUED | MERCY_TIMEOUT | RELOADING_RELOAD_QUEUED | -
        RELOADING_RELOAD_QUEUED | BACKOFF_ELAPSED | RELOADING_RELOAD_QUEUED | -
        RELOADING_RELOAD_QUEUED | STABLE_ELAPSED | RELOADING_RELOAD_QUEUED | -

        ABORTING | FILE_CHANGED | ABORTING | RESET_BACKOFF
        ABORTING | RELOAD_REQUESTED | ABORTING | -
        ABORTING | STOP_REQUESTED | STOPPING | LOG_STOP, SEND_STOP_GRACEFUL
        ABORTING | SPAWNED | ABORTING | -
        ABORTING | ACCEPTING | ABORTING | -
        ABORTING | RELOAD_FAILED | ABORTING | -
        ABORTING | LOYAL | ABORTING | -
        ABORTING | FATAL | ABORTING | LOG_FATAL
        ABORTING | CONTROL_LOST | ABORTING | -
        ABORTING | EXITED | BACKOFF | LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF
        ABORTING | READY_TIMEOUT | ABORTING | -
        ABORTING | MERCY_TIMEOUT | ABORTING | KILL_GROUP, ARM_MERCY_TIMER
        ABORTING | BACKOFF_ELAPSED | ABORTING | -
        ABORTING | STABLE_ELAPSED | ABORTING | -

        BACKOFF | FILE_CHANGED | STARTING | RESET_BACKOFF, LOG_RETRY_NOW, SPAWN, ARM_READY_TIMER
        BACKOFF | RELOAD_REQUESTED | STARTING | RESET_BACKOFF, LOG_RETRY_NOW, SPAWN, ARM_READY_TIMER
        BACKOFF | STOP_REQUESTED | GONE | LOG_STOP, LOG_REMOVED
        BACKOFF | SPAWNED | BACKOFF | -
        BACKOFF | ACCEPTING | BACKOFF | -
        BACKOFF | RELOAD_FAILED | BACKOFF | -
        BACKOFF | LOYAL | BACKOFF | -
        BACKOFF | FATAL | BACKOFF | -
        BACKOFF | CONTROL_LOST | BACKOFF | -
        BACKOFF | EXITED | BACKOFF | -
        BACKOFF | READY_TIMEOUT | BACKOFF | -
        BACKOFF | MERCY_TIMEOUT | BACKOFF | -
        BACKOFF | BACKOFF_ELAPSED | STARTING | SPAWN, ARM_READY_TIMER
        BACKOFF | STABLE_ELAPSED | BACKOFF | -

        STOPPING | FILE_CHANGED | STOPPING_THEN_START | RESET_BACKOFF, LOG_RESTART_QUEUED
        STOPPING | RELOAD_REQUESTED | STOPPING | -
        STOPPING | STOP_REQUESTED | STOPPING | -
        STOPPING | SPAWNED | STOPPING | -
        STOPPING | ACCEPTING | STOPPING | -
        STOPPING | RELOAD_FAILED | STOPPING | -
        STOPPING | LOYAL | STOPPING | -
        STOPPING | FATAL | STOPPING | LOG_FATAL
        STOPPING | CONTROL_LOST | STOPPING | -
        STOPPING | EXITED | GONE | LOG_EXIT, SWEEP_GROUP, LOG_REMOVED
        STOPPING | READY_TIMEOUT | STOPPING | -
        STOPPING | MERCY_TIMEOUT | KILLING | LOG_NO_MERCY, KILL_GROUP, ARM_MERCY_TIMER
        STOPPING | BACKOFF_ELAPSED | STOPPING | -
        STOPPING | STABLE_ELAPSED | STOPPING | -

        STOPPING_THEN_START | FILE_CHANGED | STOPPING_THEN_START | -
        STOPPING_THEN_START | RELOAD_REQUESTED | STOPPING_THEN_START | -
        STOPPING_THEN_START | STOP_REQUESTED | STOPPING | -
        STOPPING_THEN_START | SPAWNED | STOPPING_THEN_START | -
        STOPPING_THEN_START | ACCEPTING | STOPPING_THEN_START | -
        STOPPING_THEN_START | RELOAD_FAILED | STOPPING_THEN_START | -
        STOPPING_THEN_START | LOYAL | STOPPING_THEN_START | -
        STOPPING_THEN_START | FATAL | STOPPING_THEN_START | LOG_FATAL
        STOPPING_THEN_START | CONTROL_LOST | STOPPING_THEN_START | -
        STOPPING_THEN_START | EXITED | STARTING | LOG_EXIT, SWEEP_GROUP, SPAWN, ARM_READY_TIMER
        STOPPING_THEN_START | READY_TIMEOUT | STOPPING_THEN_START | -
        STOPPING_THEN_START | MERCY_TIMEOUT | KILLING_THEN_START | LOG_NO_MERCY, KILL_GROUP, ARM_MERCY_TIMER
        STOPPING_THEN_START | BACKOFF_ELAPSED | STOPPING_THEN_START | -
        STOPPING_THEN_START | STABLE_ELAPSED | STOPPING_THEN_START | -

        KILLING | FILE_CHANGED | KILLING_THEN_START | RESET_BACKOFF, LOG_RESTART_QUEUED
        KILLING | RELOAD_REQUESTED | KILLING | -
        KILLING | STOP_REQUESTED | KILLING | -
        KILLING | SPAWNED | KILLING | -
        KILLING | ACCEPTING | KILLING | -
        KILLING | RELOAD_FAILED | KILLING | -
        KILLING | LOYAL | KILLING | -
        KILLING | FATAL | KILLING | LOG_FATAL
        KILLING | CONTROL_LOST | KILLING | -
        KILLING | EXITED | GONE | LOG_EXIT, SWEEP_GROUP, LOG_REMOVED
        KILLING | READY_TIMEOUT | KILLING | -
        KILLING | MERCY_TIMEOUT | KILLING | KILL_GROUP, ARM_MERCY_TIMER
        KILLING | BACKOFF_ELAPSED | KILLING | -
        KILLING | STABLE_ELAPSED | KILLING | -

        KILLING_THEN_START | FILE_CHANGED | KILLING_THEN_START | -
        KILLING_THEN_START | RELOAD_REQUESTED | KILLING_THEN_START | -
        KILLING_THEN_START | STOP_REQUESTED | KILLING | -
        KILLING_THEN_START | SPAWNED | KILLING_THEN_START | -
        KILLING_THEN_START | ACCEPTING | KILLING_THEN_START | -
        KILLING_THEN_START | RELOAD_FAILED | KILLING_THEN_START | -
        KILLING_THEN_START | LOYAL | KILLING_THEN_START | -
        KILLING_THEN_START | FATAL | KILLING_THEN_START | LOG_FATAL
        KILLING_THEN_START | CONTROL_LOST | KILLING_THEN_START | -
        KILLING_THEN_START | EXITED | STARTING | LOG_EXIT, SWEEP_GROUP, SPAWN, ARM_READY_TIMER
        KILLING_THEN_START | READY_TIMEOUT | KILLING_THEN_START | -
        KILLING_THEN_START | MERCY_TIMEOUT | KILLING_THEN_START | KILL_GROUP, ARM_MERCY_TIMER
        KILLING_THEN_START | BACKOFF_ELAPSED | KILLING_THEN_START | -
        KILLING_THEN_START | STABLE_ELAPSED | KILLING_THEN_START | -

        GONE | FILE_CHANGED | GONE | -
        GONE | RELOAD_REQUESTED | GONE | -
        GONE | STOP_REQUESTED | GONE | -
        GONE | SPAWNED | GONE | -
        GONE | ACCEPTING | GONE | -
        GONE | RELOAD_FAILED | GONE | -
        GONE | LOYAL | GONE | -
        GONE | FATAL | GONE | -
        GONE | CONTROL_LOST | GONE | -
        GONE | EXITED | GONE | -
        GONE | READY_TIMEOUT | GONE | -
        GONE | MERCY_TIMEOUT | GONE | -
        GONE | BACKOFF_ELAPSED | GONE | -
        GONE | STABLE_ELAPSED | GONE | -
        """;

    private record Row(VassalState state, VassalEvent event, Transition expected) {
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String line : TABLE.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] cells = line.split("\\|");
            assertThat(cells).as("row %s", line).hasSize(4);
            List<VassalAction> actions = cells[3].strip().equals("-") ? List.of()
                    : Arrays.stream(cells[3].split(",")).map(String::strip).map(VassalAction::valueOf).toList();
            rows.add(new Row(VassalState.valueOf(cells[0].strip()), VassalEvent.valueOf(cells[1].strip()),
                    new Transition(VassalState.valueOf(cells[2].strip()), actions)));
        }
        return rows;
    }

    @Test
    void everyPairIsListedExactlyOnce() {
        Map<VassalState, Map<VassalEvent, Integer>> seen = new EnumMap<>(VassalState.class);
        for (Row row : rows()) {
            seen.computeIfAbsent(row.state(), _ -> new EnumMap<>(VassalEvent.class)).merge(row.event(), 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (VassalState s : VassalState.values()) {
            for (VassalEvent e : VassalEvent.values()) {
                int n = seen.getOrDefault(s, Map.of()).getOrDefault(e, 0);
                if (n == 0) {
                    missing.add(s + " | " + e);
                } else if (n > 1) {
                    duplicated.add(s + " | " + e);
                }
            }
        }
        assertThat(missing).as("pairs missing from the table").isEmpty();
        assertThat(duplicated).as("pairs listed twice").isEmpty();
        assertThat(rows()).hasSize(VassalState.values().length * VassalEvent.values().length);
    }

    @Test
    void everyPairTransitionsAsTheTableSays() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows()) {
            Transition actual = VassalStateMachine.next(row.state(), row.event());
            if (!actual.equals(row.expected())) {
                wrong.add(row.state() + " | " + row.event() + ": expected " + row.expected() + " but got " + actual);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void goneIsTerminalAndOnlyStatesWithAProcessKillOrSend() {
        for (Row row : rows()) {
            if (row.state() == VassalState.GONE) {
                assertThat(row.expected().next()).isEqualTo(VassalState.GONE);
            }
            boolean touchesProcess = row.expected().actions().stream().anyMatch(a -> switch (a) {
                case SEND_RELOAD, SEND_STOP_GRACEFUL, KILL_GROUP, SWEEP_GROUP -> true;
                default -> false;
            });
            if (touchesProcess) {
                assertThat(row.state().hasProcess()).as("%s | %s", row.state(), row.event()).isTrue();
            }
            if (row.expected().actions().contains(VassalAction.SPAWN)) {
                assertThat(row.expected().next()).isEqualTo(VassalState.STARTING);
            }
        }
    }

    @Test
    void everyStateIsReachableFromNew() {
        java.util.Set<VassalState> reached = java.util.EnumSet.of(VassalState.NEW);
        java.util.Deque<VassalState> todo = new java.util.ArrayDeque<>(reached);
        while (!todo.isEmpty()) {
            VassalState s = todo.pop();
            for (VassalEvent e : VassalEvent.values()) {
                VassalState n = VassalStateMachine.next(s, e).next();
                if (reached.add(n)) {
                    todo.push(n);
                }
            }
        }
        assertThat(reached).containsExactlyInAnyOrder(VassalState.values());
    }
}
