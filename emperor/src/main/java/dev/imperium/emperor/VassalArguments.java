package dev.imperium.emperor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The config the emperor adds to every vassal's command line: uWSGI's {@code vassals-inherit-before},
 * {@code vassals-include-before}, {@code vassal-set}, {@code vassals-inherit} and {@code vassals-include}
 * (uwsgi-features.md §1.2–1.3, {@code core/emperor.c vassal_new_argv}). The vassal command line is built in uWSGI's
 * order:
 *
 * <pre>{@code
 * vassal [--inherit F]... [--include F]... [--set K=V]... --ini NAME [--inherit F]... [--include F]...
 * }</pre>
 *
 * with the loader flag of the file's extension ({@code --ini}, {@code --yaml}, {@code --json}, {@code --xml}).
 * {@code bin/vassal} reads that command line as uWSGI does (vassal-runtime CONFIG.md "Options on the command
 * line"): includes are read where they stand, {@code --set} applies there, and inherited files are read after
 * everything else, so their single-valued options win whether they come before or after the vassal file (as in
 * uWSGI 2.0). Without any of them the command line is just {@code vassal NAME}. Paths are passed as written:
 * a relative one is relative to the vassal's working directory (the vassal directory), as in uWSGI.
 *
 * @param inheritBefore {@code vassals-inherit-before} files, in order
 * @param includeBefore {@code vassals-include-before} files, in order
 * @param sets {@code vassal-set} {@code KEY=VALUE} entries, in order
 * @param inherit {@code vassals-inherit} files, in order
 * @param include {@code vassals-include} files, in order
 */
public record VassalArguments(List<String> inheritBefore, List<String> includeBefore, List<String> sets,
                              List<String> inherit, List<String> include) {
    /** No extra config: vassals run as {@code vassal NAME}. */
    public static final VassalArguments NONE = new VassalArguments(List.of(), List.of(), List.of(), List.of(),
            List.of());

    /**
     * Copies the lists and checks the {@code vassal-set} entries.
     *
     * @throws IllegalArgumentException if a {@code vassal-set} entry has no {@code =} or an empty key
     */
    public VassalArguments {
        inheritBefore = List.copyOf(inheritBefore);
        includeBefore = List.copyOf(includeBefore);
        sets = List.copyOf(sets);
        inherit = List.copyOf(inherit);
        include = List.copyOf(include);
        for (String set : sets) {
            if (set.indexOf('=') <= 0) {
                throw new IllegalArgumentException("--vassal-set needs KEY=VALUE, got '" + set + "'");
            }
        }
    }

    /** Returns whether there is no extra config at all. */
    public boolean isEmpty() {
        return inheritBefore.isEmpty() && includeBefore.isEmpty() && sets.isEmpty() && inherit.isEmpty()
                && include.isEmpty();
    }

    /**
     * Returns the arguments that follow the vassal program for one vassal file.
     *
     * @param file the vassal file as the monitor names it (e.g. {@code app.ini}, or a path for a glob monitor)
     * @return {@code [file]} without extra config, else uWSGI's argv order (see the class comment); a file with an
     *     {@code emperor-extra-extension} always gets its loader flag ({@code --ini}), as uWSGI gives it
     *     {@code --config} (issue 7: monitors)
     */
    public List<String> argv(String file) {
        String base = file.endsWith(dev.imperium.emperor.broodlord.Brood.SUFFIX) // a zerg: LORD:zerg (broodlord)
                ? file.substring(0, file.length() - dev.imperium.emperor.broodlord.Brood.SUFFIX.length()) : file;
        if (isEmpty() && VassalFiles.hasStandardExtension(base.substring(base.lastIndexOf('/') + 1))) {
            return List.of(file);
        }
        List<String> argv = new ArrayList<>();
        for (String f : inheritBefore) {
            argv.add("--inherit");
            argv.add(f);
        }
        for (String f : includeBefore) {
            argv.add("--include");
            argv.add(f);
        }
        for (String set : sets) {
            argv.add("--set");
            argv.add(set);
        }
        argv.add(loaderFlag(file));
        argv.add(file);
        for (String f : inherit) {
            argv.add("--inherit");
            argv.add(f);
        }
        for (String f : include) {
            argv.add("--include");
            argv.add(f);
        }
        return List.copyOf(argv);
    }

    /**
     * Returns the option that loads a vassal file, by its extension, as uWSGI's emperor chooses it: {@code .xml}
     * {@code --xml}, {@code .yml}/{@code .yaml} {@code --yaml}, {@code .js}/{@code .json} {@code --json}, anything
     * else {@code --ini}; a zerg's {@code :zerg} is ignored, as in uWSGI.
     */
    static String loaderFlag(String file) {
        String name = file.toLowerCase(Locale.ROOT);
        if (name.endsWith(dev.imperium.emperor.broodlord.Brood.SUFFIX)) { // a zerg: LORD:zerg (issue 7: broodlord)
            name = name.substring(0, name.length() - dev.imperium.emperor.broodlord.Brood.SUFFIX.length());
        }
        if (name.endsWith(".xml")) {
            return "--xml";
        }
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            return "--yaml";
        }
        if (name.endsWith(".js") || name.endsWith(".json")) {
            return "--json";
        }
        return "--ini";
    }
}
