package dev.imperium.config;

import java.util.List;

/**
 * One row of the option table: an option of uWSGI 2.0's command line / config files, or an Imperium extension
 * (prefixed {@code imperium-}).
 *
 * @param name the canonical name, e.g. {@code http-socket}
 * @param aliases other names uWSGI accepts for it, e.g. {@code workers} for {@code processes}
 * @param type the kind of value
 * @param defaultValue the default as text, or null when there is none
 * @param repeatable true if the option may appear several times and every value counts
 * @param help one line of help, as shown by {@code --help}
 * @param docUrl the uWSGI documentation page for it (or Imperium's README section for extensions)
 * @param status whether Imperium honours it
 */
public record Option(
        String name,
        List<String> aliases,
        OptionType type,
        String defaultValue,
        boolean repeatable,
        String help,
        String docUrl,
        OptionStatus status) {
}
