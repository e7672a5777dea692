package dev.imperium.emperor.foreign;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;

/**
 * uWSGI's emperor protocol, one byte per message on the vassal's {@code UWSGI_EMPEROR_FD} (uwsgi-docs
 * "EmperorProtocol"; uWSGI 2.0 {@code core/emperor.c} {@code uwsgi_master_manage_emperor}, {@code core/uwsgi.c}
 * {@code uwsgi_ignition}), translated to and from Imperium's control frames, so that the supervisor handles a uWSGI
 * vassal as it handles its own.
 *
 * <p>Vassal to emperor: 1 spawned, 5 accepting (worker 1 entered its accept loop), 17 loyal (first request done),
 * 22 asks to be stopped, 26 heartbeat; 2 (asks for its config: only for configs the emperor pushes) and 30
 * (broodlord SOS) have no Imperium meaning. Emperor to vassal: 0 stop, 1 reload, 2 graceful stop.
 *
 * <p>uWSGI numbers nothing: its worker 1 sends byte 5 each time it (re)enters its accept loop, after a reload and
 * also after it was respawned. A generation is therefore counted here: the first byte 5 after the start, and the
 * first after each reload sent, announce the next generation; the others are dropped. Not thread-safe.
 */
final class UwsgiEmperorProtocol {
    /** Vassal to emperor: the master is set up. */
    static final int SPAWNED = 1;
    /** Vassal to emperor: it wants its config pushed (configs from a database monitor). */
    static final int CONFIG_REQUEST = 2;
    /** Vassal to emperor: worker 1 accepts requests. */
    static final int ACCEPTING = 5;
    /** Vassal to emperor: its first request is done. */
    static final int LOYAL = 17;
    /** Vassal to emperor: it asks to be stopped ({@code die-on-idle}). */
    static final int VOLUNTARY_SHUTDOWN = 22;
    /** Vassal to emperor: heartbeat ({@code heartbeat N}). */
    static final int HEARTBEAT = 26;
    /** Vassal to emperor: broodlord asks for reinforcements ({@code vassal-sos}). */
    static final int SOS = 30;

    /** Emperor to vassal: stop now. */
    static final int STOP = 0;
    /** Emperor to vassal: reload gracefully (workers finish, then the master re-executes itself). */
    static final int RELOAD = 1;
    /** Emperor to vassal: stop gracefully. */
    static final int STOP_GRACEFUL = 2;

    private int generation;
    private boolean accepting;

    /**
     * Translates one byte from the vassal.
     *
     * @param b the byte, 0..255
     * @return the frame for the supervisor, or null when the byte means nothing to it (see {@link #describe})
     */
    Frame fromVassal(int b) {
        return switch (b) {
            case SPAWNED -> Frame.of(EmperorMessage.SPAWNED);
            case ACCEPTING -> {
                if (accepting) {
                    yield null; // worker 1 respawned: same generation
                }
                accepting = true;
                yield Frame.of(EmperorMessage.ACCEPTING, Integer.toString(++generation));
            }
            case LOYAL -> Frame.of(EmperorMessage.LOYAL);
            case VOLUNTARY_SHUTDOWN -> Frame.of(EmperorMessage.VOLUNTARY_SHUTDOWN);
            case HEARTBEAT -> Frame.of(EmperorMessage.HEARTBEAT);
            default -> null;
        };
    }

    /**
     * Translates a frame from the supervisor into the byte for the vassal.
     *
     * @param frame the frame
     * @return the byte, or -1 when uWSGI has no such message
     */
    int toVassal(Frame frame) {
        return switch (frame.type()) {
            case EmperorMessage.STOP -> STOP;
            case EmperorMessage.RELOAD -> {
                accepting = false; // the next byte 5 is the new generation's
                yield RELOAD;
            }
            case EmperorMessage.STOP_GRACEFUL -> STOP_GRACEFUL;
            default -> -1;
        };
    }

    /** Returns the generation last announced (0 before the first). */
    int generation() {
        return generation;
    }

    /**
     * Describes a byte the supervisor does not get, for the emperor's log, or null when dropping it needs no word
     * (a repeated byte 5).
     *
     * @param b the byte from the vassal
     */
    static String describe(int b) {
        return switch (b) {
            case ACCEPTING, SPAWNED, LOYAL, VOLUNTARY_SHUTDOWN, HEARTBEAT -> null;
            case CONFIG_REQUEST -> "asked for its config (byte 2): the emperor pushes no configs, the vassal reads"
                    + " its file";
            case SOS -> "asked for reinforcements (byte 30): broodlord mode is not supported";
            default -> "sent unknown emperor message " + b;
        };
    }
}
