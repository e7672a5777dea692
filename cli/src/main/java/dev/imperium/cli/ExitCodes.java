package dev.imperium.cli;

/**
 * The exit codes of {@code imperium}, the same for every subcommand (each one's {@code --help} lists those it uses).
 */
public final class ExitCodes {
    /** Done: the operation succeeded; for {@code status}, every vassal shown serves requests. */
    public static final int OK = 0;
    /**
     * The operation failed or was refused: a reload refused, a start that failed, an unknown vassal, a timeout; for
     * {@code status}, a vassal shown does not serve requests (starting, backoff, stopped...); for {@code check}, a
     * file has an error or an unsupported option.
     */
    public static final int FAILED = 1;
    /** Wrong command line. */
    public static final int USAGE = 2;
    /** No emperor listens on the control socket (not running, or another socket), or it went away. */
    public static final int NOT_RUNNING = 3;
    /** Permission denied: only the emperor's user (and root) may drive it. */
    public static final int PERMISSION = 4;

    private ExitCodes() {
    }
}
