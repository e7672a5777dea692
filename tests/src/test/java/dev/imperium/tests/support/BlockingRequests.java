package dev.imperium.tests.support;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Requests to the {@code BlockingApp} test app that stay in flight until the test releases them: {@code GET
 * /block?file=F} creates {@code F.entered}, then waits for {@code F} to exist.
 */
public final class BlockingRequests {
    /** Runs each request on a thread of its own (the common pool may have a single thread on a 2-CPU machine). */
    public static final Executor OWN_THREAD = r -> Thread.ofVirtual().start(r);

    private BlockingRequests() {
    }

    /**
     * Sends {@code GET /block?file=RELEASE} and returns once the app holds it (its {@code .entered} file exists).
     *
     * @param port the vassal's HTTP port
     * @param release the file whose creation lets the request end
     * @param soon how long the request may take to reach the app
     * @return the response, completed when the request ends (up to 60 s)
     */
    public static CompletableFuture<RawHttp.Response> block(int port, Path release, Duration soon) {
        CompletableFuture<RawHttp.Response> response = CompletableFuture.supplyAsync(() -> RawHttp.send(port,
                "GET /block?file=" + release + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(60)), OWN_THREAD);
        await("request in flight").atMost(soon).until(() -> Files.exists(Path.of(release + ".entered")));
        return response;
    }
}
