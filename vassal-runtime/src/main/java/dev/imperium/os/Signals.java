package dev.imperium.os;

import sun.misc.Signal;

/**
 * Installs handlers for POSIX signals with {@code sun.misc.Signal}, the only way a JVM can take SIGHUP or SIGTERM.
 *
 * <p>Installing a handler for INT or TERM replaces the JVM's default shutdown: the handler must end the process
 * itself. A signal that the process inherited as ignored (under {@code nohup}, or as a shell's background job) is set
 * back to its default first, otherwise the JVM would silently refuse the handler. SIGQUIT cannot be handled (the JVM
 * keeps it for thread dumps); nor can SIGKILL or SIGSTOP. Handlers run on
 * a JVM-internal "SIGxxx handler" thread and must return quickly: hand the work to your own thread.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code handler} each time the named signal arrives.
     *
     * @param name the signal name without "SIG", e.g. {@code "HUP"}
     * @param handler what to run; it gets no arguments and must not block
     * @throws IllegalArgumentException if the JVM or OS reserves the signal (QUIT, KILL, STOP, SEGV...)
     */
    public static void on(String name, Runnable handler) {
        Signal signal = new Signal(name);
        Posix.resetSignal(signal.getNumber());
        Signal.handle(signal, _ -> handler.run());
    }

    /**
     * Swallows the named signal: it no longer has its default effect (e.g. SIGHUP no longer ends the JVM).
     *
     * @param name the signal name without "SIG"
     */
    public static void ignore(String name) {
        Signal.handle(new Signal(name), _ -> { });
    }
}
