package dev.imperium.statics;

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
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serves static files the way uWSGI 2.0 does with {@code check-static}, {@code static-map}, {@code static-map2},
 * {@code static-index}, {@code static-safe}, {@code static-skip-ext}, {@code static-expires*}, {@code static-gzip*},
 * {@code honour-range}, {@code file-serve-mode} and {@code mimefile}
 * (https://uwsgi-docs.readthedocs.io/en/latest/StaticFiles.html, uWSGI 2.0 {@code core/static.c}), with HTTP's
 * validators, conditional requests and ranges as RFC 9110 §8.8, §13 and §14 define them, and declines every request
 * it does not serve so that the app gets it.
 *
 * <p>For each request: {@code check-static} directories first, then {@code static-map} mountpoints, then
 * {@code static-map2} ones, each in config order; the first regular file found is served, unless its real path ends
 * with a {@code static-skip-ext} suffix (then the search goes on, as in uWSGI). Only {@code GET} and {@code HEAD} are
 * served; other methods are declined (uWSGI passes them to the app too). When a {@code static-gzip*} rule covers the
 * file and the client takes {@code br} or {@code gzip}, {@code FILE.br} or {@code FILE.gz} is sent instead when it
 * exists (see {@link AcceptEncoding}). The answer is {@link FileResponder}'s: 200, 206, 304, 412 or 416 with
 * {@code Content-Type} (from the MIME table, no charset added, none when the extension is unknown, as uWSGI),
 * {@code Last-Modified}, {@code ETag} ({@link EntityTag}) and the exact length. A body goes out with
 * {@link ResponseBody#transferFrom} (zero-copy), or for a file of at most 64 KiB in the same write as the response
 * head; such files are kept by a {@link SmallFileCache} (a {@code stat} or two per request while unchanged).
 *
 * <p>Security: the file's real path (symlinks followed) must lie under the mapped directory or a {@code static-safe}
 * directory, and so must a precompressed variant's. Otherwise the request is declined (passed on, as uWSGI does, not
 * answered 403) and a {@code security error} line is logged. The path used is the decoded {@code PATH_INFO}, decoded
 * once, so {@code %2e%2e} arrives as {@code ..} and is resolved away by the real-path check, and {@code %252e} stays a
 * literal {@code %2e}. Stricter than uWSGI: a path holding a NUL or a backslash is declined outright (uWSGI cuts the
 * path at a NUL and would serve {@code a.css} for {@code a.css%00.txt}), and uWSGI stats {@code FILE.gz} without
 * checking where it leads.
 *
 * <p>Thread-safe; blocking.
 */
public final class StaticFiles implements Handler {
    private final List<StaticMount> mounts;
    private final FileLookup lookup;
    private final MimeTypes mimeTypes;
    private final Consumer<String> log;
    private final List<String> skipExtensions;
    private final GzipRules gzip;
    private final FileResponder responder;
    private final boolean sendsBytes;
    private final SmallFileCache cache = new SmallFileCache();

    private StaticFiles(List<StaticMount> mounts, FileLookup lookup, MimeTypes mimeTypes, Consumer<String> log,
            StaticSpec spec, GzipRules gzip) {
        this.mounts = List.copyOf(mounts);
        this.lookup = lookup;
        this.mimeTypes = mimeTypes;
        this.log = log;
        this.skipExtensions = spec.skipExtensions();
        this.gzip = gzip;
        this.responder = new FileResponder(spec.honourRange(), spec.fileServeMode(), spec.expires());
        this.sendsBytes = spec.fileServeMode() == FileServeMode.RAW;
    }

    /**
     * Builds the handler for a vassal's static options, logging to standard error.
     *
     * @param spec the options
     * @param directory the directory relative paths resolve against (the vassal's {@code chdir}, else its working
     *     directory), as uWSGI's {@code realpath()} resolves them against the process's current directory
     * @return the handler (declining everything when {@link StaticSpec#isEmpty()})
     * @throws IllegalArgumentException if a {@code static-map} value is not {@code /mount=path} (uWSGI exits on it)
     */
    public static StaticFiles create(StaticSpec spec, Path directory) {
        return create(spec, directory, System.err::println);
    }

    /**
     * Builds the handler for a vassal's static options.
     *
     * @param spec the options
     * @param directory the directory relative paths resolve against
     * @param log receives one line per security error and per unreadable {@code mimefile}
     * @return the handler (declining everything when {@link StaticSpec#isEmpty()})
     * @throws IllegalArgumentException if a {@code static-map} value is not {@code /mount=path} (uWSGI exits on it)
     */
    public static StaticFiles create(StaticSpec spec, Path directory, Consumer<String> log) {
        Path base = directory.toAbsolutePath();
        List<StaticMount> mounts = new ArrayList<>();
        for (String dir : spec.checkStatic()) {
            mounts.add(new StaticMount(null, new DocRoot(base.resolve(requireValue("check-static", dir))), false));
        }
        for (String map : spec.staticMaps()) {
            mounts.add(mount("static-map", map, base, false));
        }
        for (String map : spec.staticMaps2()) {
            mounts.add(mount("static-map2", map, base, true));
        }
        List<Path> safe = spec.staticSafe().stream().map(s -> realOrAbsolute(base.resolve(s))).toList();
        List<Path> mimeFiles = spec.mimeFiles().stream().map(base::resolve).toList();
        MimeTypes mime = MimeTypes.load(mimeFiles, log);
        return new StaticFiles(mounts, new FileLookup(spec.staticIndex(), safe), mime, log, spec,
                spec.gzip().resolvedAgainst(base));
    }

    private static StaticMount mount(String option, String map, Path base, boolean wholePath) {
        int eq = map.indexOf('=');
        if (eq < 1 || eq == map.length() - 1 || map.charAt(0) != '/') {
            throw new IllegalArgumentException("invalid " + option + " '" + map
                    + "': the syntax is /mountpoint=path (a directory or a file), e.g. /static=/srv/app/static");
        }
        Path target = base.resolve(map.substring(eq + 1).strip());
        return new StaticMount(map.substring(0, eq).strip(), new DocRoot(target), wholePath);
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
     * @return true if an answer was sent (the file, part of it, 304, 412 or 416); false if no mount holds a servable
     *     file for this request
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
        int codings = gzip.isEmpty() ? AcceptEncoding.NONE : AcceptEncoding.of(head.fields());
        for (int i = 0; i < mounts.size(); i++) {
            SmallFileCache.Cached cached = sendsBytes ? cached(i, path, codings) : null;
            if (cached != null) {
                byte[] bytes = cached.content();
                responder.respond(exchange, cached.file(), (body, position, count) ->
                        body.write(bytes, (int) position, (int) count));
                return true;
            }
            Optional<Hit> hit = find(mounts.get(i), path);
            if (hit.isPresent() && send(exchange, hit.get(), i, path, codings)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the cached response for this client: the one kept for its codings, or else the one kept for files
     * without {@code static-gzip} rules, which every client gets alike.
     */
    private SmallFileCache.Cached cached(int mount, String path, int codings) {
        SmallFileCache.Cached cached = cache.get(mount, path, codings);
        if (cached == null && codings != AcceptEncoding.NONE) {
            cached = cache.get(mount, path, AcceptEncoding.NONE);
            if (cached != null && cached.file().vary()) {
                return null;
            }
        }
        return cached;
    }

    /**
     * A file to serve.
     *
     * @param file its real path
     * @param validation the path the request names it by, before symlinks are followed (see {@link SmallFileCache})
     * @param root the real directory a precompressed variant must lie under (with a {@code static-safe} one)
     */
    private record Hit(Path file, Path validation, Path root) {
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
        Path rootPath = root.get().path();
        return switch (lookup.find(rootPath, root.get().isFile(), remainder.get())) {
            case FileLookup.Found(Path file) -> skipped(file) ? Optional.empty() : Optional.of(new Hit(file,
                    validationPath(rootPath, root.get().isFile(), remainder.get(), file),
                    root.get().isFile() ? rootPath.getParent() : rootPath));
            case FileLookup.Outside(Path real, Path under) -> {
                securityError(real, under);
                yield Optional.empty();
            }
            case FileLookup.Missing() -> Optional.empty();
        };
    }

    private void securityError(Path real, Path under) {
        log.accept("[uwsgi-fileserve] security error: " + real + " is not under " + under + " or a safe path");
    }

    /** Returns true if {@code static-skip-ext} keeps the file from being served. */
    private boolean skipped(Path file) {
        if (skipExtensions.isEmpty()) {
            return false;
        }
        String name = file.toString();
        for (String suffix : skipExtensions) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
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

    /**
     * The file to send: the one found, or its precompressed variant.
     *
     * @param file its real path
     * @param attributes its attributes
     * @param coding {@code gzip} or {@code br} for a variant, else null
     * @param checks what must hold for a cached copy of this answer to be used ({@link SmallFileCache})
     * @param cacheable false if the answer must not be cached (a variant led outside the root)
     */
    private record Chosen(Path file, BasicFileAttributes attributes, String coding, List<SmallFileCache.Check> checks,
            boolean cacheable) {
    }

    /** Sends the file; returns false (declines) if it cannot be opened, e.g. not readable. */
    private boolean send(Exchange exchange, Hit hit, int mount, String path, int codings) throws IOException {
        BasicFileAttributes identityAttributes = attributes(hit.file());
        if (identityAttributes == null) {
            return false;
        }
        String realPath = hit.file().toString();
        boolean vary = !gzip.isEmpty() && gzip.applies(realPath);
        Chosen chosen = choose(hit, identityAttributes, vary ? codings : AcceptEncoding.NONE);
        String contentType = mimeTypes.forFileName(hit.file().getFileName().toString()).orElse(null);
        BasicFileAttributes attributes = chosen.attributes();
        FileTime modified = attributes.lastModifiedTime();
        String etag = EntityTag.of(inode(chosen.file()), attributes.size(), modified);
        if (!sendsBytes) {
            responder.respond(exchange, new StaticFile(realPath, chosen.file().toString(), attributes.size(), modified,
                    StaticFile.lastModified(modified), etag, contentType, chosen.coding(), vary), null);
            return true;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(chosen.file(), StandardOpenOption.READ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        try (channel) {
            long size = channel.size();
            StaticFile file = new StaticFile(realPath, chosen.file().toString(), size, modified,
                    StaticFile.lastModified(modified), etag, contentType, chosen.coding(), vary);
            byte[] content = size <= SmallFileCache.MAX_FILE_BYTES && size == attributes.size()
                    ? readSmall(channel, (int) size) : null;
            if (content == null) {
                responder.respond(exchange, file, (body, position, count) ->
                        body.transferFrom(channel, position, count));
                return true;
            }
            responder.respond(exchange, file, (body, position, count) ->
                    body.write(content, (int) position, (int) count));
            if (chosen.cacheable()) {
                cache.offer(mount, path, vary ? codings : AcceptEncoding.NONE, chosen.checks(),
                        new SmallFileCache.Cached(file, content));
            }
            return true;
        }
    }

    /**
     * Picks the first precompressed variant of the file that the client takes and that exists under the root
     * ({@code FILE.br}, {@code FILE.gz}, next to the file's real path), else the file itself.
     *
     * @param codings the codings to try; {@link AcceptEncoding#NONE} when the file has no variants
     */
    private Chosen choose(Hit hit, BasicFileAttributes identityAttributes, int codings) {
        List<SmallFileCache.Check> checks = new ArrayList<>(3);
        checks.add(SmallFileCache.Check.same(hit.validation(), identityAttributes));
        boolean cacheable = sendsBytes;
        for (String suffix : AcceptEncoding.suffixes(codings)) {
            Path candidate = Path.of(hit.file() + suffix);
            FileLookup.Result variant = lookup.variant(hit.root(), candidate);
            if (variant instanceof FileLookup.Found(Path real)) {
                BasicFileAttributes attributes = attributes(real);
                if (attributes != null) {
                    checks.add(SmallFileCache.Check.same(candidate, attributes));
                    return new Chosen(real, attributes, AcceptEncoding.coding(suffix), checks, cacheable);
                }
            } else if (variant instanceof FileLookup.Outside(Path real, Path under)) {
                securityError(real, under);
                cacheable = false;
            }
            checks.add(SmallFileCache.Check.absent(candidate));
        }
        return new Chosen(hit.file(), identityAttributes, null, checks, cacheable);
    }

    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Returns the file's inode number, or 0 where the file system does not give one. */
    private static long inode(Path file) {
        try {
            return Files.getAttribute(file, "unix:ino") instanceof Long ino ? ino : 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return 0;
        }
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

    private static boolean isGetOrHead(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
