package dev.imperium.vassal;

import dev.imperium.http.FieldTokens;
import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The vassal's {@code del-header} and {@code add-header} rules, applied to every response an app or a static mount
 * sends (uwsgi-docs "Options"; uWSGI 2.0 {@code core/writer.c}): the fields named by {@code del-header} are removed
 * from the response (names compared case-insensitively), then each {@code add-header} field is appended. An added
 * {@code Connection: close} closes the connection after the response, as it does in uWSGI.
 *
 * @param add the fields to append, as (name, value) pairs in configuration order
 * @param delete the field names to remove
 */
record ResponseHeaderRules(List<String[]> add, List<String> delete) {
    /**
     * Reads one {@code add-header} value.
     *
     * @param header {@code Name: value}
     * @return the name and the value, trimmed
     * @throws IllegalArgumentException naming the value if it has no {@code Name:} or the name is not a token
     */
    static String[] parseAdd(String header) {
        int colon = header.indexOf(':');
        String name = colon < 0 ? "" : header.substring(0, colon).trim();
        if (!FieldTokens.isToken(name)) {
            throw new IllegalArgumentException("add-header: expected 'Name: value', got '" + header + "'");
        }
        return new String[] {name, header.substring(colon + 1).trim()};
    }

    /**
     * Reads one {@code del-header} value.
     *
     * @param name a field name
     * @return the name, trimmed
     * @throws IllegalArgumentException naming the value if it is not a token
     */
    static String parseDelete(String name) {
        String n = name.trim();
        if (!FieldTokens.isToken(n)) {
            throw new IllegalArgumentException("del-header: expected a field name, got '" + name + "'");
        }
        return n;
    }

    /** Returns true when there is nothing to do. */
    boolean isEmpty() {
        return add.isEmpty() && delete.isEmpty();
    }

    /** Returns a copy of {@code fields} with the rules applied. */
    HttpFields apply(HttpFields fields) {
        HttpFields out = new HttpFields(fields.size() + add.size());
        for (int i = 0; i < fields.size(); i++) {
            if (!deleted(fields.name(i))) {
                out.add(fields.name(i), fields.value(i));
            }
        }
        for (String[] field : add) {
            out.add(field[0], field[1]);
        }
        return out;
    }

    /** Returns {@code exchange} with the rules applied to its response, or itself when there are none. */
    Exchange wrap(Exchange exchange) {
        return isEmpty() ? exchange : new Rewriting(exchange, this);
    }

    private boolean deleted(String name) {
        for (String d : delete) {
            if (d.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }


    /** An exchange whose response fields pass through the rules. */
    private record Rewriting(Exchange delegate, ResponseHeaderRules rules) implements Exchange {
        @Override
        public RequestHead request() {
            return delegate.request();
        }

        @Override
        public InputStream body() {
            return delegate.body();
        }

        @Override
        public ResponseBody respond(int status, HttpFields fields, long contentLength) throws IOException {
            return delegate.respond(status, rules.apply(fields), contentLength);
        }

        @Override
        public void abort() {
            delegate.abort();
        }

        @Override
        public boolean committed() {
            return delegate.committed();
        }

        @Override
        public int status() {
            return delegate.status();
        }

        @Override
        public int headerCount() {
            return delegate.headerCount();
        }

        @Override
        public long headerBytes() {
            return delegate.headerBytes();
        }

        @Override
        public long bodyBytes() {
            return delegate.bodyBytes();
        }
    }
}
