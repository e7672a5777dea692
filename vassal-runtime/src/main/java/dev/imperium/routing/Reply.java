package dev.imperium.routing;

import dev.imperium.http.HttpFields;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The answer a routing action decided on. */
sealed interface Reply {
    /**
     * A status with fields and a body held in memory.
     *
     * @param status the status
     * @param fields the header fields
     * @param body the body
     */
    record Fixed(int status, HttpFields fields, byte[] body) implements Reply {
        /** A reply whose body is ASCII text. */
        static Fixed text(int status, HttpFields fields, String body) {
            return new Fixed(status, fields, body.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * A file ({@code static:}): 200 with its type and {@code Last-Modified}, 304 when the client has it, 404 when it
     * is gone.
     *
     * @param path the file
     */
    record File(Path path) implements Reply {
    }

    /** No answer: the connection closes ({@code break:} without a status, a failed {@code goto}). */
    record Close() implements Reply {
    }
}
