package dev.imperium.http;

/** The HTTP-versions this server speaks (RFC 9112 §2.3). */
public enum HttpVersion {
    /** {@code HTTP/1.0}: connections close after each response unless the client asks for keep-alive. */
    HTTP_1_0("HTTP/1.0"),
    /** {@code HTTP/1.1}: connections are persistent unless a side sends {@code Connection: close}. */
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** Returns the version as it appears on the wire, e.g. {@code HTTP/1.1}. */
    public String text() {
        return text;
    }
}
