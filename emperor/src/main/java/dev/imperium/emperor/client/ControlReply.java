package dev.imperium.emperor.client;

import java.util.List;
import java.util.Objects;

/**
 * What the emperor answers a {@link ControlRequest}; one JSON line each (see {@link ControlCodec}). A request gets
 * one reply, except {@link ControlRequest.Op#LOGS}: a {@link LogsStart}, then {@link LogLine}s, then
 * {@link LogsEnd} (or, when following, lines and {@link Ping}s until the client hangs up).
 */
public sealed interface ControlReply {
    /**
     * The emperor and its vassals.
     *
     * @param emperor the emperor itself
     * @param vassals every vassal (or the one asked for), sorted by name
     */
    record Status(EmperorInfo emperor, List<VassalStatus> vassals) implements ControlReply {
        /** Copies the list. */
        public Status {
            Objects.requireNonNull(emperor, "emperor");
            vassals = List.copyOf(vassals);
        }
    }

    /**
     * The outcome of a reload, stop or start: one result per vassal concerned.
     *
     * @param results in vassal name order
     */
    record Results(List<CommandResult> results) implements ControlReply {
        /** Copies the list. */
        public Results {
            results = List.copyOf(results);
        }

        /** Returns whether every result is a success. */
        public boolean allOk() {
            return results.stream().allMatch(CommandResult::ok);
        }
    }

    /**
     * The request was refused.
     *
     * @param reason a stable word for scripts: {@link #NOT_FOUND}, {@link #BAD_REQUEST}, {@link #PERMISSION},
     *     {@link #STOPPING}
     * @param message what is wrong, for people
     */
    record Failure(String reason, String message) implements ControlReply {
        /** No vassal of that name. */
        public static final String NOT_FOUND = "not_found";
        /** The request could not be read or makes no sense. */
        public static final String BAD_REQUEST = "bad_request";
        /** The client is not the emperor's user (nor root). */
        public static final String PERMISSION = "permission";
        /** The emperor is stopping (Ragnarok) and takes no more commands. */
        public static final String STOPPING = "stopping";

        /** Checks the fields. */
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Logs follow for this vassal.
     *
     * @param vassal the vassal file name
     * @param dropped how many earlier lines of the vassal's output are not sent: beyond the count asked for, or
     *     already dropped from the emperor's bounded buffer
     */
    record LogsStart(String vassal, long dropped) implements ControlReply {
    }

    /**
     * One line of a vassal's output, as the vassal wrote it (decoded as UTF-8).
     *
     * @param seq the line's number in the vassal's output since the emperor started (1, 2, ...)
     * @param stderr true if it came on standard error
     * @param text the line, without terminator
     */
    record LogLine(long seq, boolean stderr, String text) implements ControlReply {
        /** Checks the text. */
        public LogLine {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Lines were lost while following: the client read slower than the vassal wrote.
     *
     * @param count how many
     */
    record LogsSkipped(long count) implements ControlReply {
    }

    /** The end of the kept lines (when not following). */
    record LogsEnd() implements ControlReply {
    }

    /** Sent every few seconds while following and nothing else is sent, so that a gone client is noticed. */
    record Ping() implements ControlReply {
    }

    /**
     * The emperor itself.
     *
     * @param pid its process id
     * @param version Imperium's version
     * @param vassalsDir the watched directory
     * @param uptimeSeconds seconds since it started
     */
    record EmperorInfo(long pid, String version, String vassalsDir, double uptimeSeconds) {
    }

    /**
     * The outcome of a command for one vassal.
     *
     * @param vassal the vassal file name
     * @param ok whether it did what was asked
     * @param message what happened, e.g. {@code generation 3 accepting (pid 1234)} or the reason of a refusal
     */
    record CommandResult(String vassal, boolean ok, String message) {
    }
}
