package dev.imperium.apps;

/**
 * The vassal's app could not be loaded: bad {@code jvm-classpath}, unknown class, wrong type, missing entry point,
 * or the app's constructor or {@code start} failed. The message says which and how to fix it.
 *
 * <p>What the vassal does with it: with {@code need-app} it refuses to start and exits with {@link #EXIT_CODE}, as
 * uWSGI does ({@code *** no app loaded. GAME OVER ***}); without, it logs the message and serves with
 * {@link AppLoader#noApp()}, so that static files still work.
 */
public final class AppLoadException extends Exception {
    /** uWSGI's exit status when {@code need-app} is set and no app loaded ({@code UWSGI_FAILED_APP_CODE}). */
    public static final int EXIT_CODE = 22;

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message and an optional cause. */
    public AppLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
