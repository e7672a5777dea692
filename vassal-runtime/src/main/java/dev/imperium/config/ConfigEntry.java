package dev.imperium.config;

/**
 * One resolved option of a vassal: includes, logic blocks and every expansion ({@code %(name)}, magic variables,
 * {@code $(ENV)}, {@code @(file)}) already applied.
 *
 * @param key the option name in canonical form ({@code -} not {@code _}, lower case as written), e.g.
 *     {@code http-socket}; a placeholder keeps its own name
 * @param value the expanded value; {@code "true"} for a bare flag
 * @param origin where the entry was written
 */
public record ConfigEntry(String key, String value, Origin origin) {
}
