package dev.imperium.vassal;

import dev.imperium.server.RequestHead;

/**
 * Estimates uWSGI's "{N vars in M bytes}" for the request log: the CGI variables an HTTP request becomes and the
 * size of their uwsgi vars block (2-byte key length, key, 2-byte value length, value).
 * TEMPORARY: replaced by the JWSGI env builder's exact count once the apps workstream lands.
 */
final class CgiVarsSize {
    private CgiVarsSize() {
    }

    static int count(RequestHead head) {
        return 12 + head.fields().size();
    }

    static int bytes(RequestHead head) {
        int size = 0;
        for (int i = 0; i < head.fields().size(); i++) {
            size += 4 + 5 + head.fields().name(i).length() + head.fields().value(i).length();
        }
        return size + 4 * 12 + head.method().length() + 2 * head.target().length() + head.protocol().length() + 120;
    }
}
