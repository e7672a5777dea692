package dev.imperium.config;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Reads what {@code @(…)} refers to: a file, or the standard output of {@code @(exec://command)} run with
 * {@code /bin/sh -c} (uWSGI {@code core/uwsgi.c} {@code uwsgi_at_file_read}, {@code core/io.c}
 * {@code uwsgi_scheme_exec}). As in uWSGI, one trailing {@code \n} or {@code \r} is removed. Each file and command is
 * read once per load. Other uWSGI schemes ({@code http://}, {@code fd://}, ...) are reported as unsupported.
 */
final class ExternalContent {
    /** The most {@code @(…)} may bring in, in bytes. */
    static final int MAX_BYTES = 1 << 20;
    /** How long {@code @(exec://…)} may run. */
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final String EXEC = "exec://";
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);

    private final LoaderOptions options;
    private final Diagnostics diagnostics;
    private final Duration timeout;
    private final Map<String, String> cache = new HashMap<>();

    ExternalContent(LoaderOptions options, Diagnostics diagnostics) {
        this(options, diagnostics, EXEC_TIMEOUT);
    }

    ExternalContent(LoaderOptions options, Diagnostics diagnostics, Duration timeout) {
        this.options = options;
        this.diagnostics = diagnostics;
        this.timeout = timeout;
    }

    /**
     * Returns the content for {@code @(spec)}, or null after reporting why there is none (the caller then keeps the
     * text {@code @(spec)} as it is).
     */
    String read(String spec, Origin origin, String key) {
        if (cache.containsKey(spec)) {
            return cache.get(spec);
        }
        String content;
        if (spec.startsWith(EXEC)) {
            content = exec(spec.substring(EXEC.length()), origin, key);
        } else if (SCHEME.matcher(spec).matches() || spec.equals("-")) {
            diagnostics.unsupported(origin, key, "@(" + spec + ") is not supported: Imperium reads @(…) only from"
                    + " files and exec://");
            content = null;
        } else {
            content = file(spec, origin, key);
        }
        cache.put(spec, content);
        return content;
    }

    private String file(String spec, Origin origin, String key) {
        Path path = ConfigPaths.resolve(options.cwd(), spec, origin, key, diagnostics);
        if (path == null) {
            return null;
        }
        try {
            // issue 8: bad configs: never a FIFO or a device, never more than MAX_BYTES whatever the size says
            return chompOnce(new String(ConfigFiles.read(path, MAX_BYTES), StandardCharsets.UTF_8));
        } catch (ConfigFiles.UnreadableException e) {
            diagnostics.error(origin, key, "@(" + spec + "): " + (e.missing() ? "no such file " + path
                    : e.getMessage()));
        }
        return null;
    }

    private String exec(String command, Origin origin, String key) {
        if (!options.allowExec()) {
            diagnostics.warning(origin, key, "@(exec://" + command + ") was not run: running commands is disabled"
                    + " (checking only); the value is left unexpanded");
            return null;
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
                .directory(options.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(options.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            diagnostics.error(origin, key, "@(exec://" + command + "): cannot start /bin/sh: " + e.getMessage());
            return null;
        }
        FutureTask<byte[]> reader = new FutureTask<>(() -> readBounded(process.getInputStream()));
        Thread.ofVirtual().name("imperium-config-exec").start(reader);
        try {
            byte[] out = reader.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (out == null) {
                diagnostics.error(origin, key, "@(exec://" + command + "): output is larger than " + MAX_BYTES
                        + " bytes");
                return null;
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException();
            }
            if (process.exitValue() != 0) {
                diagnostics.warning(origin, key, "@(exec://" + command + ") exited with status "
                        + process.exitValue() + "; its output is used anyway, as uWSGI does");
            }
            return chompOnce(new String(out, StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            diagnostics.error(origin, key, "@(exec://" + command + ") did not finish within "
                    + timeout.toMillis() + " ms");
            return null;
        } catch (ExecutionException e) {
            diagnostics.error(origin, key, "@(exec://" + command + "): cannot read its output: "
                    + e.getCause().getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            diagnostics.error(origin, key, "@(exec://" + command + "): interrupted");
            return null;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.cancel(true);
        }
    }

    /** Reads a stream to its end; returns null when it holds more than {@link #MAX_BYTES}. */
    private static byte[] readBounded(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        }
    }

    /** Removes one trailing line break character, as uWSGI does. */
    static String chompOnce(String s) {
        return !s.isEmpty() && (s.endsWith("\n") || s.endsWith("\r")) ? s.substring(0, s.length() - 1) : s;
    }
}
