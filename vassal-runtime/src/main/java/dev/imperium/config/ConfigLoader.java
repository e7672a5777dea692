package dev.imperium.config;

import java.util.List;
import java.util.Objects;

/**
 * Loads a vassal config file the way uWSGI 2.0 does: format by extension ({@code .ini}, {@code .yaml}/{@code .yml},
 * {@code .json}/{@code .js}, {@code .xml}), magic variables, includes, configuration logic and placeholder expansion
 * ({@code Configuration.html}, {@code ParsingOrder.html}, {@code ConfigLogic.html}), then checks every entry
 * against the {@link OptionTable}. Details and the places where Imperium is stricter than uWSGI are in
 * {@code vassal-runtime/CONFIG.md}.
 *
 * <p>Stateless and thread-safe: each call reads the files afresh.
 */
public final class ConfigLoader {
    private final LoaderOptions options;

    /** Creates a loader; see {@link LoaderOptions#defaults()}. */
    public ConfigLoader(LoaderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Loads a config.
     *
     * @param spec {@code path} or {@code path:section} (the ini section, the YAML/JSON top-level key, or the XML
     *     {@code id}; default {@code uwsgi}); a relative path is resolved against {@link LoaderOptions#cwd()}
     * @return the resolved entries, in file order, keys canonical ({@code _} written as {@code -}), plus warnings
     * @throws ConfigException if anything is an error or unsupported; it carries every diagnostic found
     */
    public VassalConfig load(String spec) throws ConfigException {
        return load(spec, List.of());
    }

    /**
     * Loads a config, with extra entries handled as if written after the file (uWSGI's {@code --set K=V}: they may
     * set options or placeholders, and override single-valued options of the file).
     *
     * @param spec as for {@link #load(String)}
     * @param extra entries appended after the file's, in order; their values are expanded like the file's
     * @return the resolved entries and warnings
     * @throws ConfigException if anything is an error or unsupported; it carries every diagnostic found
     */
    public VassalConfig load(String spec, List<ConfigEntry> extra) throws ConfigException {
        return new LoadSession(options).load(Objects.requireNonNull(spec, "spec"), List.copyOf(extra));
    }

    /**
     * Loads a uWSGI command line ({@code --http-socket :8080 --ini app.ini ...}) as a config: its options are entries
     * (origin "command line"), the files it names are read where uWSGI reads them.
     *
     * @param commandLine the parsed command line
     * @return the resolved entries and warnings; {@link VassalConfig#file()} is the first file read, or the working
     *     directory when none is
     * @throws ConfigException if anything is an error or unsupported
     */
    public VassalConfig load(CommandLineConfig commandLine) throws ConfigException {
        return new LoadSession(options).loadCommandLine(commandLine.entries());
    }

    /**
     * Reads a config file without checking its entries against the vassal option table, for files that hold another
     * program's options (the emperor's {@code [uwsgi]} section: {@code emperor = DIR}). Syntax, includes, logic and
     * expansion are handled, and their errors reported, as for {@link #load(String)}.
     *
     * @param spec as for {@link #load(String)}
     * @return every resolved entry, placeholders included
     * @throws ConfigException if the file cannot be read or has errors
     */
    public VassalConfig loadUnchecked(String spec) throws ConfigException {
        return new LoadSession(options, false).load(Objects.requireNonNull(spec, "spec"), List.of());
    }
}
