package dev.imperium.vassal;

import java.util.ArrayList;
import java.util.List;

/**
 * The master FIFO's command table ({@code master-fifo}): each byte written to the FIFO is one command, run in the
 * order written, as uWSGI 2.0's table (uwsgi-docs "The Master FIFO"; {@code core/fifo.c}). A byte that is no command
 * (the newline {@code echo} adds, for one) is ignored, as in uWSGI. Pure: bytes in, commands out.
 */
final class MasterFifo {
    /** What a command asks the master to do. */
    enum Action {
        /** {@code r}: graceful reload (the vassal file is read again). */
        GRACEFUL_RELOAD,
        /** {@code R}: brutal reload: as {@code r}, but the old workers are killed instead of finishing requests. */
        BRUTAL_RELOAD,
        /** {@code c}: chain reload, one worker at a time. */
        CHAIN_RELOAD,
        /** {@code q}: graceful stop. */
        GRACEFUL_STOP,
        /** {@code Q}: brutal stop. */
        BRUTAL_STOP,
        /** {@code w}: graceful reload of the workers only (same config). */
        RELOAD_WORKERS,
        /** {@code W}: brutal reload of the workers only (same config). */
        BRUTAL_RELOAD_WORKERS,
        /** {@code s}: log the stats. */
        STATS,
        /** {@code l}: reopen the log file ({@code logto}). */
        REOPEN_LOG,
        /** {@code L}: rotate the log file ({@code logto}). */
        ROTATE_LOG,
        /** {@code p}: pause, or resume, accepting connections. */
        PAUSE,
        /** {@code P}: write the pidfile again. */
        WRITE_PIDFILE,
        /** {@code +}: one more worker (cheaper mode). */
        MORE_WORKERS,
        /** {@code -}: one worker less (cheaper mode). */
        FEWER_WORKERS,
        /** {@code C}: go cheap now: every worker goes, the next connection brings them back. */
        GO_CHEAP,
        /** {@code 0}-{@code 9}: make that FIFO (in {@code master-fifo} order) the active one. */
        SELECT_FIFO,
        /** {@code B}: ask the emperor for a zerg (broodlord SOS, message 30; issue 7: broodlord). */
        BROODLORD_SOS,
        /** A uWSGI command Imperium does not implement: {@code E}, {@code f}, {@code S}. */
        NOT_IMPLEMENTED
    }

    /**
     * One command.
     *
     * @param action what to do
     * @param letter the byte it was written as
     */
    record Command(Action action, char letter) {
        /** Returns the FIFO slot of a {@link Action#SELECT_FIFO} command (0-9). */
        int slot() {
            return letter - '0';
        }
    }

    private MasterFifo() {
    }

    /**
     * Returns the commands in {@code length} bytes read from the FIFO, in order, without the bytes that are none.
     */
    static List<Command> parse(byte[] bytes, int length) {
        List<Command> commands = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            Command command = parse(bytes[i]);
            if (command != null) {
                commands.add(command);
            }
        }
        return commands;
    }

    /** Returns the command one byte stands for, or null if it is none. */
    static Command parse(byte b) {
        char c = (char) (b & 0xFF);
        Action action = switch (c) {
            case 'r' -> Action.GRACEFUL_RELOAD;
            case 'R' -> Action.BRUTAL_RELOAD;
            case 'c' -> Action.CHAIN_RELOAD;
            case 'q' -> Action.GRACEFUL_STOP;
            case 'Q' -> Action.BRUTAL_STOP;
            case 'w' -> Action.RELOAD_WORKERS;
            case 'W' -> Action.BRUTAL_RELOAD_WORKERS;
            case 's' -> Action.STATS;
            case 'l' -> Action.REOPEN_LOG;
            case 'L' -> Action.ROTATE_LOG;
            case 'p' -> Action.PAUSE;
            case 'P' -> Action.WRITE_PIDFILE;
            case '+' -> Action.MORE_WORKERS;
            case '-' -> Action.FEWER_WORKERS;
            case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> Action.SELECT_FIFO;
            case 'C' -> Action.GO_CHEAP;
            case 'B' -> Action.BROODLORD_SOS; // Issue 7: broodlord
            case 'E', 'f', 'S' -> Action.NOT_IMPLEMENTED;
            default -> null;
        };
        return action == null ? null : new Command(action, c);
    }

    /**
     * Returns the FIFO that slot {@code slot} selects: the {@code slot}-th of {@code paths}, or the first when there
     * are fewer (uWSGI's {@code uwsgi_fifo_by_slot}).
     */
    static int effectiveSlot(int slot, int fifos) {
        return slot >= 0 && slot < fifos ? slot : 0;
    }
}
