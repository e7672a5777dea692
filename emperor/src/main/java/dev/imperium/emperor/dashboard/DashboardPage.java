package dev.imperium.emperor.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The fleet page: one HTML document with its CSS and script inline ({@code fleet.html} next to this class), and the
 * Content-Security-Policy that lets exactly that style and that script run (CSP Level 3, "hash-source"): nothing
 * else may run in the page, and it may only fetch from its own origin.
 *
 * @param html the document, UTF-8
 * @param contentSecurityPolicy the header value for it
 */
public record DashboardPage(byte[] html, String contentSecurityPolicy) {
    /**
     * Loads the page from the class path.
     *
     * @return the page
     * @throws UncheckedIOException if the resource is missing
     */
    public static DashboardPage load() {
        try (InputStream in = DashboardPage.class.getResourceAsStream("fleet.html")) {
            if (in == null) {
                throw new IOException("fleet.html is not on the class path");
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds the page and its policy from a document with one inline {@code <style>} and one inline
     * {@code <script>} element (without attributes).
     *
     * @param html the document
     * @return the page
     * @throws IllegalArgumentException if the document lacks one of the two elements
     */
    public static DashboardPage of(String html) {
        String style = between(html, "<style>", "</style>");
        String script = between(html, "<script>", "</script>");
        String csp = "default-src 'none'; style-src '" + sha256(style) + "'; script-src '" + sha256(script)
                + "'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return new DashboardPage(html.getBytes(StandardCharsets.UTF_8), csp);
    }

    private static String between(String html, String open, String close) {
        int start = html.indexOf(open);
        int end = start < 0 ? -1 : html.indexOf(close, start);
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("the page has no " + open + " element");
        }
        return html.substring(start + open.length(), end);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
