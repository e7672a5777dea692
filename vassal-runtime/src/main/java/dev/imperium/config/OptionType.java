package dev.imperium.config;

/** The kind of value an option takes; drives validation, {@code --help} and messages. */
public enum OptionType {
    /** A boolean; a bare key means true. */
    FLAG,
    /** A whole number. */
    NUMBER,
    /** Free text (a path, an address, a class name...). */
    STRING,
    /** A {@code key=value} pair, e.g. {@code env}. */
    KEY_VALUE,
    /** A {@code /mount=/path} mapping, e.g. {@code static-map}. */
    MAPPING
}
