package dev.imperium.statics;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * and the exact length; the body goes out with {@link ResponseBody#transferFrom} (zero-copy), or for a file of at
 * most 64 KiB in the same write as the response head, and such files are kept by a {@link SmallFileCache} (one
 * {@code stat} per request while unchanged). An
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
    private final SmallFileCache cache = new SmallFileCache();

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
        for (int i = 0; i < mounts.size(); i++) {
            SmallFileCache.CachedResponse cached = cache.get(i, path);
            if (cached != null) {
                sendCached(exchange, cached);
                return true;
            }
            Optional<Hit> hit = find(mounts.get(i), path);
            if (hit.isPresent() && send(exchange, hit.get(), i, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A file to serve.
     *
     * @param file its real path
     * @param validation the path the request names it by, before symlinks are followed (see {@link SmallFileCache})
     */
    private record Hit(Path file, Path validation) {
    }

    private Optional<Hit> find(StaticMount mount, String path) {
        Optional<DocRoot.Resolved> root = mount.root().resolve();
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> remainder = mount.remainder(path, root.get().isFile());
        if (remainder.isEmpty()) {
            return Optional.empty();
        }
        return switch (lookup.find(root.get().path(), root.get().isFile(), remainder.get())) {
            case FileLookup.Found(Path file) -> Optional.of(new Hit(file,
                    validationPath(root.get().path(), root.get().isFile(), remainder.get(), file)));
            case FileLookup.Outside(Path real, Path under) -> {
                log.accept("[imperium-static] security error: " + real + " is not under " + under
                        + " or a safe path");
                yield Optional.empty();
            }
            case FileLookup.Missing() -> Optional.empty();
        };
    }

    /**
     * The path that names {@code file} for this request without resolving symlinks: the root joined with the
     * remainder, or for a directory served through {@code static-index}, that joined with the index's name.
     */
    private static Path validationPath(Path root, boolean rootIsFile, String remainder, Path file) {
        if (rootIsFile) {
            return root;
        }
        String relative = FileLookup.stripLeadingSlashes(remainder);
        Path candidate = relative.isEmpty() ? root : root.resolve(relative);
        return Files.isDirectory(candidate) ? candidate.resolve(file.getFileName()) : candidate;
    }

    private void sendCached(Exchange exchange, SmallFileCache.CachedResponse cached) throws IOException {
        byte[] content = cached.content();
        if (notModified(exchange.request().fields(), Instant.ofEpochSecond(cached.modifiedSecond()))) {
            exchange.respond(304, new HttpFields(1), content.length).close();
            return;
        }
        HttpFields fields = responseFields(cached.contentType(), cached.lastModified());
        try (ResponseBody body = exchange.respond(200, fields, content.length)) {
            if (!"HEAD".equals(exchange.request().method())) {
                body.write(content);
            }
        }
    }

    /** Sends the file; returns false (declines) if it cannot be opened, e.g. not readable. */
    private boolean send(Exchange exchange, Hit hit, int mount, String path) throws IOException {
        Path file = hit.file();
        FileChannel channel;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        Instant modified = attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
        try (channel) {
            long size = channel.size();
            HttpFields request = exchange.request().fields();
            if (notModified(request, modified)) {
                // the length a 200 would have had: the only Content-Length a 304 may carry (RFC 9110 §8.6)
                exchange.respond(304, new HttpFields(1), size).close();
                return true;
            }
            String contentType = mimeTypes.forFileName(file.getFileName().toString()).orElse(null);
            String lastModified = HttpDate.format(modified);
            HttpFields fields = responseFields(contentType, lastModified);
            byte[] content = size <= SmallFileCache.MAX_FILE_BYTES && size == attributes.size()
                    ? readSmall(channel, (int) size) : null;
            try (ResponseBody body = exchange.respond(200, fields, size)) {
                if (!"HEAD".equals(exchange.request().method())) {
                    if (content != null) {
                        body.write(content);
                    } else {
                        body.transferFrom(channel, 0, size);
                    }
                }
            }
            if (content != null) {
                cache.offer(mount, path, hit.validation(), attributes, new SmallFileCache.CachedResponse(content,
                        contentType, lastModified, modified.getEpochSecond()));
            }
            return true;
        }
    }

    /** The fields of a 200: {@code Content-Type} when the type is known, and {@code Last-Modified}. */
    private static HttpFields responseFields(String contentType, String lastModified) {
        HttpFields fields = new HttpFields(2);
        if (contentType != null) {
            fields.add("Content-Type", contentType);
        }
        fields.add("Last-Modified", lastModified);
        return fields;
    }

    /** Reads a whole small file, or returns null if it is not {@code size} bytes long any more. */
    private static byte[] readSmall(FileChannel channel, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                return null;
            }
        }
        return channel.size() == size ? buffer.array() : null;
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
