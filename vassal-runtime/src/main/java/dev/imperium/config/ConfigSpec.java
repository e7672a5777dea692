package dev.imperium.config;

/**
 * A config reference as uWSGI writes it: {@code path}, {@code path:section} or {@code :section}. uWSGI splits at the
 * last colon ({@code core/ini.c} {@code uwsgi_ini_config}); Imperium additionally ignores a colon followed by a
 * {@code /}, so a directory name with a colon is not taken for a section.
 *
 * @param path the path as written, or null for {@code :section} (the last ini file read)
 * @param section the section, or null for the format's default ({@code uwsgi}); never empty
 * @param asWritten the whole reference as written (the magic variable {@code %o})
 */
record ConfigSpec(String path, String section, String asWritten) {
    static ConfigSpec parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0 || spec.indexOf('/', colon) >= 0) {
            return new ConfigSpec(spec, null, spec);
        }
        String path = spec.substring(0, colon);
        String section = spec.substring(colon + 1);
        return new ConfigSpec(path.isEmpty() ? null : path, section.isEmpty() ? null : section, spec);
    }
}
