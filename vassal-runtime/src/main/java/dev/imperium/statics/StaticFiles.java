package dev.imperium.statics;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serves static files the way uWSGI's {@code check-static}, {@code static-map}, {@code static-index},
 * {@code static-safe} and {@code mimefile} do (https://uwsgi-docs.readthedocs.io/en/latest/StaticFiles.html,
 * uWSGI 2.0 {@code core/static.c}), and declines every request it does not serve so that the app gets it.
 *
 * <p>For each request: {@code check-static} directories first, then {@code static-map} mountpoints, each in config
 * order; the first regular file found is served. Only {@code GET} and {@code HEAD} are served; other methods are
 * declined (uWSGI passes them to the app too). The response carries {@code Content-Type} (from the MIME table, no
 * charset added, none when the extension is unknown, as uWSGI), {@code Last-Modified} (IMF-fixdate, RFC 9110 §8.8.2)
 * and the exact length; the body goes out with {@link ResponseBody#transferFrom} (zero-copy). An
 * {@code If-Modified-Since} not older than the file's modification time gets {@code 304} (RFC 9110 §13.1.3; ignored
 * when {@code If-None-Match} is present). No {@code Range} support ({@code honour-range} is off by default in uWSGI).
 *
 * <p>Security: the file's real path (symlinks followed) must lie under the mapped directory or a {@code static-safe}
 * directory. Otherwise the request is declined (passed on, as uWSGI does, not answered 403) and a
 * {@code security error} line is logged. The path used is the decoded {@code PATH_INFO}, decoded once, so
 * {@code %2e%2e} arrives as {@code ..} and is resolved away by the real-path check, and {@code %252e} stays a
 * literal {@code %2e}. Stricter than uWSGI: a path holding a NUL or a backslash is declined outright (uWSGI cuts the
 * path at a NUL and would serve {@code a.css} for {@code a.css%00.txt}).
 *
 * <p>Thread-safe; blocking.
 */
public final class StaticFiles implements Handler {
    private final List<StaticMount> mounts;
    private final FileLookup lookup;
    private final MimeTypes mimeTypes;
    private final Consumer<String> log;

    private StaticFiles(List<StaticMount> mounts, FileLookup lookup, MimeTypes mimeTypes, Consumer<String> log) {
        this.mounts = List.copyOf(mounts);
        this.lookup = lookup;
        this.mimeTypes = mimeTypes;
        this.log = log;
    }

    /**
     * Builds the handler for a vassal's static options, logging to standard error.
     *
     * @param spec the options
     * @return the handler (declining everything when {@link StaticSpec#isEmpty()})
     * @throws IllegalArgumentException if a {@code static-map} value is not {@code /mount=path} (uWSGI exits on it)
     */
    public static StaticFiles create(StaticSpec spec) {
        return create(spec, System.err::println);
    }

    /**
     * Builds the handler for a vassal's static options.
     *
     * @param spec the options
     * @param log receives one line per security error and per unreadable {@code mimefile}
     * @return the handler (declining everything when {@link StaticSpec#isEmpty()})
     * @throws IllegalArgumentException if a {@code static-map} value is not {@code /mount=path} (uWSGI exits on it)
     */
    public static StaticFiles create(StaticSpec spec, Consumer<String> log) {
        Path base = spec.directory().toAbsolutePath();
        List<StaticMount> mounts = new ArrayList<>();
        for (String dir : spec.checkStatic()) {
            mounts.add(new StaticMount(null, new DocRoot(base.resolve(requireValue("check-static", dir)))));
        }
        for (String map : spec.staticMaps()) {
            int eq = map.indexOf('=');
            if (eq < 1 || eq == map.length() - 1 || map.charAt(0) != '/') {
                throw new IllegalArgumentException("invalid static-map '" + map
                        + "': the syntax is /mountpoint=path (a directory or a file), e.g. /static=/srv/app/static");
            }
            Path target = base.resolve(map.substring(eq + 1).strip());
            mounts.add(new StaticMount(map.substring(0, eq).strip(), new DocRoot(target)));
        }
        List<Path> safe = spec.staticSafe().stream().map(s -> realOrAbsolute(base.resolve(s))).toList();
        List<Path> mimeFiles = spec.mimeFiles().stream().map(base::resolve).toList();
        MimeTypes mime = MimeTypes.load(mimeFiles, log);
        return new StaticFiles(mounts, new FileLookup(spec.staticIndex(), safe), mime, log);
    }

    private static String requireValue(String option, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a directory");
        }
        return value.strip();
    }

    private static Path realOrAbsolute(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** Returns true if no mount is configured: every request is declined. */
    public boolean isEmpty() {
        return mounts.isEmpty();
    }

    /** Returns the MIME table in use (for apps that send files too). */
    public MimeTypes mimeTypes() {
        return mimeTypes;
    }

    /**
     * Serves the request's file, or declines.
     *
     * @return true if a file (or a 304) was sent; false if no mount holds a servable file for this request
     * @throws IOException if the client went away while the file was sent
     */
    @Override
    public boolean handle(Exchange exchange) throws IOException {
        RequestHead head = exchange.request();
        if (mounts.isEmpty() || !isGetOrHead(head.method())) {
            return false;
        }
        String path = head.path();
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return false;
        }
        for (StaticMount mount : mounts) {
            Optional<Path> file = find(mount, path);
            if (file.isPresent() && send(exchange, file.get())) {
                return true;
            }
        }
        return false;
    }

    private Optional<Path> find(StaticMount mount, String path) {
        Optional<DocRoot.Resolved> root = mount.root().resolve();
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> remainder = mount.remainder(path, root.get().isFile());
        if (remainder.isEmpty()) {
            return Optional.empty();
        }
        return switch (lookup.find(root.get().path(), root.get().isFile(), remainder.get())) {
            case FileLookup.Found(Path file) -> Optional.of(file);
            case FileLookup.Outside(Path real, Path under) -> {
                log.accept("[imperium-static] security error: " + real + " is not under " + under
                        + " or a safe path");
                yield Optional.empty();
            }
            case FileLookup.Missing() -> Optional.empty();
        };
    }

    /** Sends the file; returns false (declines) if it cannot be opened, e.g. not readable. */
    private boolean send(Exchange exchange, Path file) throws IOException {
        FileChannel channel;
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        try (channel) {
            long size = channel.size();
            HttpFields request = exchange.request().fields();
            if (notModified(request, modified)) {
                // the length a 200 would have had: the only Content-Length a 304 may carry (RFC 9110 §8.6)
                exchange.respond(304, new HttpFields(1), size).close();
                return true;
            }
            HttpFields fields = new HttpFields(2);
            mimeTypes.forFileName(file.getFileName().toString()).ifPresent(type -> fields.add("Content-Type", type));
            fields.add("Last-Modified", HttpDate.format(modified));
            try (ResponseBody body = exchange.respond(200, fields, size)) {
                if (!"HEAD".equals(exchange.request().method())) {
                    body.transferFrom(channel, 0, size);
                }
            }
            return true;
        }
    }

    private static boolean notModified(HttpFields request, Instant modified) {
        if (request.contains("If-None-Match")) {
            return false;
        }
        return HttpDate.parse(request.get("If-Modified-Since"))
                .map(since -> !modified.isAfter(since))
                .orElse(false);
    }

    private static boolean isGetOrHead(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
