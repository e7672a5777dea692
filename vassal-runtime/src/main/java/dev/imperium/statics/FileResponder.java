package dev.imperium.statics;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Answers a request for a static file once it was found: preconditions (RFC 9110 §13.2.2: 412, 304), then the whole
 * file (200), the ranges asked for (206, one part or {@code multipart/byteranges}), or 416; or, in an offload
 * {@link FileServeMode}, a 200 naming the file for the front server. Thread-safe (holds only configuration).
 *
 * <p>Fields of a 200 or 206: {@code Content-Type} (when known), {@code Content-Encoding} (a precompressed variant),
 * {@code Last-Modified}, {@code ETag}, {@code Accept-Ranges: bytes} (while ranges are honoured), {@code Vary:
 * Accept-Encoding} (when the file has {@code static-gzip} rules), {@code Expires} (when a {@code static-expires*}
 * rule applies). A 304 repeats {@code ETag}, {@code Last-Modified}, {@code Vary} and {@code Expires} (§15.4.5) and
 * the 200's {@code Content-Length}. HEAD gets the same fields as GET and no body; {@code Range} applies to GET only
 * (§14.2).
 */
final class FileResponder {
    private final boolean honourRange;
    private final FileServeMode mode;
    private final ExpiresRules expires;

    /** Where a file's bytes come from: the cache's array, or the open file. */
    interface Content {
        /**
         * Sends {@code count} bytes from {@code position}.
         *
         * @throws IOException if the client went away or the file could not be read
         */
        void send(ResponseBody body, long position, long count) throws IOException;
    }

    FileResponder(boolean honourRange, FileServeMode mode, ExpiresRules expires) {
        this.honourRange = honourRange && mode == FileServeMode.RAW;
        this.mode = mode;
        this.expires = expires;
    }

    /**
     * Answers the request.
     *
     * @param exchange the request; GET or HEAD
     * @param file what to say about the file
     * @param content its bytes (not used for 304, 412, 416 and HEAD, nor in the offload modes)
     * @throws IOException if the client went away
     */
    void respond(Exchange exchange, StaticFile file, Content content) throws IOException {
        RequestHead request = exchange.request();
        Instant now = Instant.now();
        String etag = EntityTag.current(file.strongEtag(), file.modified(), now);
        Preconditions.Validators validators = new Preconditions.Validators(etag, file.modifiedSecond());
        String expiry = expires.isEmpty() ? null : expires.expires(file.realPath(), request.path(), request.target(),
                file.contentType(), file.modifiedSecond(), now.getEpochSecond()).map(ExpiresRules::format).orElse(null);
        switch (Preconditions.evaluate(request.method(), request.fields(), validators)) {
            case PRECONDITION_FAILED -> {
                exchange.respond(412, new HttpFields(0), 0).close();
                return;
            }
            case NOT_MODIFIED -> {
                HttpFields fields = new HttpFields(4);
                fields.add("Last-Modified", file.lastModified());
                fields.add("ETag", etag);
                addCaching(fields, file, expiry);
                // the length a 200 would have had: the only Content-Length a 304 may carry (RFC 9110 §8.6)
                exchange.respond(304, fields, file.size()).close();
                return;
            }
            case SEND -> { }
        }
        HttpFields fields = new HttpFields(9);
        boolean head = "HEAD".equals(request.method());
        if (mode != FileServeMode.RAW) {
            representationFields(fields, file, file.contentType(), etag, expiry);
            fields.add(mode.field(), file.servedPath());
            exchange.respond(200, fields, 0).close();
            return;
        }
        ByteRanges.Decision ranges = rangeDecision(request, file.size(), validators);
        switch (ranges) {
            case ByteRanges.Unsatisfiable() -> {
                HttpFields unsatisfiable = new HttpFields(1);
                unsatisfiable.add("Content-Range", "bytes */" + file.size());
                exchange.respond(416, unsatisfiable, 0).close();
            }
            case ByteRanges.Partial(List<ByteRanges.Range> parts) when parts.size() == 1 -> {
                ByteRanges.Range range = parts.getFirst();
                representationFields(fields, file, file.contentType(), etag, expiry);
                fields.add("Content-Range", MultipartByteRanges.contentRange(range, file.size()));
                try (ResponseBody body = exchange.respond(206, fields, range.length())) {
                    if (!head) {
                        content.send(body, range.first(), range.length());
                    }
                }
            }
            case ByteRanges.Partial(List<ByteRanges.Range> parts) -> {
                MultipartByteRanges multipart = new MultipartByteRanges(parts, file.contentType(), file.size(),
                        MultipartByteRanges.newBoundary());
                representationFields(fields, file, multipart.contentType(), etag, expiry);
                try (ResponseBody body = exchange.respond(206, fields, multipart.length())) {
                    if (!head) {
                        for (int i = 0; i < multipart.parts(); i++) {
                            ByteRanges.Range range = multipart.range(i);
                            body.write(multipart.head(i));
                            content.send(body, range.first(), range.length());
                        }
                        body.write(multipart.tail());
                    }
                }
            }
            case ByteRanges.Whole() -> {
                representationFields(fields, file, file.contentType(), etag, expiry);
                try (ResponseBody body = exchange.respond(200, fields, file.size())) {
                    if (!head) {
                        content.send(body, 0, file.size());
                    }
                }
            }
        }
    }

    /** Returns what {@code Range} asks, or {@link ByteRanges.Whole} when ranges do not apply to this request. */
    private ByteRanges.Decision rangeDecision(RequestHead request, long size, Preconditions.Validators validators) {
        if (!honourRange || !"GET".equals(request.method())) {
            return new ByteRanges.Whole();
        }
        List<String> range = request.fields().getAll("Range");
        if (range.size() != 1) {
            return new ByteRanges.Whole();
        }
        List<String> ifRange = request.fields().getAll("If-Range");
        if (ifRange.size() > 1 || !Preconditions.ifRangeHolds(ifRange.isEmpty() ? null : ifRange.getFirst(),
                validators)) {
            return new ByteRanges.Whole();
        }
        return ByteRanges.evaluate(range.getFirst(), size);
    }

    private void representationFields(HttpFields fields, StaticFile file, String contentType, String etag,
            String expiry) {
        if (contentType != null) {
            fields.add("Content-Type", contentType);
        }
        if (file.contentEncoding() != null) {
            fields.add("Content-Encoding", file.contentEncoding());
        }
        fields.add("Last-Modified", file.lastModified());
        fields.add("ETag", etag);
        if (honourRange) {
            fields.add("Accept-Ranges", "bytes");
        }
        addCaching(fields, file, expiry);
    }

    private static void addCaching(HttpFields fields, StaticFile file, String expiry) {
        if (file.vary()) {
            fields.add("Vary", "Accept-Encoding");
        }
        if (expiry != null) {
            fields.add("Expires", expiry);
        }
    }
}
