package dev.imperium.emperor.client;

import java.util.Locale;
import java.util.Objects;

/**
 * One request of a local client ({@code imperium}) to the emperor, sent as one JSON line; see {@link ControlCodec}
 * for the wire form and the replies.
 *
 * @param op what to do
 * @param vassal the vassal file name ({@code app.ini}), or null for {@link Op#STATUS} of every vassal and for
 *     {@code reload --all}
 * @param all {@link Op#RELOAD} every vassal
 * @param waitForResult for {@link Op#RELOAD}, {@link Op#STOP} and {@link Op#START}: answer once the operation has
 *     ended (the new generation accepts, the vassal is gone, it failed...) rather than once it was started
 * @param lines for {@link Op#LOGS}: how many of the kept lines to send first; negative: all of them
 * @param follow for {@link Op#LOGS}: then keep sending new lines until the client hangs up
 */
public record ControlRequest(Op op, String vassal, boolean all, boolean waitForResult, int lines, boolean follow) {
    /** The operations. */
    public enum Op {
        /** The emperor and its vassals, with each vassal's latest stats report. */
        STATUS,
        /** Graceful reload of one vassal, or of all. */
        RELOAD,
        /** Graceful stop of one vassal; it stays stopped until {@link #START} or its file changes. */
        STOP,
        /** Start a stopped vassal (or retry one waiting in its backoff now). */
        START,
        /** The vassal's output the emperor kept, optionally followed. */
        LOGS;

        /** Returns the name on the wire, e.g. {@code status}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Returns the operation named {@code name} on the wire.
         *
         * @throws IllegalArgumentException if there is none
         */
        public static Op fromWire(String name) {
            for (Op op : values()) {
                if (op.wireName().equals(name)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown operation '" + name + "'");
        }
    }

    /** Checks the combination. */
    public ControlRequest {
        Objects.requireNonNull(op, "op");
        if (vassal != null && (vassal.isEmpty() || vassal.contains("\0")
                || java.util.List.of(vassal.split("/")).contains(".."))) {
            throw new IllegalArgumentException("a vassal is named by its file name (a glob's vassals by their path), "
                    + "without '..': '" + vassal + "'");
        }
        switch (op) {
            case STATUS -> { }
            case RELOAD -> {
                if (all == (vassal != null)) {
                    throw new IllegalArgumentException("reload needs a vassal name or 'all', not both");
                }
            }
            case STOP, START, LOGS -> {
                if (vassal == null || all) {
                    throw new IllegalArgumentException(op.wireName() + " needs one vassal name");
                }
            }
        }
    }

    /** Asks for the status of every vassal. */
    public static ControlRequest status() {
        return new ControlRequest(Op.STATUS, null, false, false, 0, false);
    }

    /** Asks for the status of one vassal. */
    public static ControlRequest status(String vassal) {
        return new ControlRequest(Op.STATUS, vassal, false, false, 0, false);
    }

    /** Asks to reload one vassal. */
    public static ControlRequest reload(String vassal, boolean wait) {
        return new ControlRequest(Op.RELOAD, vassal, false, wait, 0, false);
    }

    /** Asks to reload every vassal. */
    public static ControlRequest reloadAll(boolean wait) {
        return new ControlRequest(Op.RELOAD, null, true, wait, 0, false);
    }

    /** Asks to stop one vassal. */
    public static ControlRequest stop(String vassal, boolean wait) {
        return new ControlRequest(Op.STOP, vassal, false, wait, 0, false);
    }

    /** Asks to start one vassal. */
    public static ControlRequest start(String vassal, boolean wait) {
        return new ControlRequest(Op.START, vassal, false, wait, 0, false);
    }

    /** Asks for a vassal's kept output: the last {@code lines} lines (negative: all), then new ones if following. */
    public static ControlRequest logs(String vassal, int lines, boolean follow) {
        return new ControlRequest(Op.LOGS, vassal, false, false, lines, follow);
    }
}
