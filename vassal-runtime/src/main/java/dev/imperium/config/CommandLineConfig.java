package dev.imperium.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A uWSGI command line read as config entries, so that {@code uwsgi --http-socket :8080 --jwsgi x.Y} ports to
 * {@code vassal --http-socket :8080 --jwsgi x.Y} unchanged. The words are split the way uWSGI 2.0 splits them with
 * {@code getopt_long} ({@code core/init.c} {@code uwsgi_commandline_config}):
 *
 * <ul>
 *   <li>{@code --name value} and {@code --name=value}; an option that takes a value takes the next word whatever it
 *       looks like. A flag ({@code --master}) takes none: it is written as a bare key in an ini file would be. An
 *       option whose value is optional ({@code --chmod-socket}, {@code --http-keepalive}, {@code --need-app}) takes
 *       one only as {@code --name=value}; alone it means uWSGI's default for no value ({@code 1}). Which options are
 *       flags comes from uWSGI's option tables ({@code option-arity.tsv}); Imperium's own flags
 *       ({@code --imperium-allow-root}) are flags too. A flag also accepts {@code --name=false}.</li>
 *   <li>{@code -x value}, {@code -xvalue} and clusters of one-letter flags ({@code -MT}), with uWSGI's letters
 *       ({@code -s} socket, {@code -p} processes, {@code -M} master ...).</li>
 *   <li>Words that are not options are config files (by extension, {@code FILE[:section]}), read <em>after</em> every
 *       option, as uWSGI reads them; {@code --ini FILE}, {@code --yaml FILE}, {@code --json FILE}, {@code --xml FILE}
 *       read a file where it stands. {@code --} ends the options.</li>
 *   <li>Entries then go through the loader like a file's: placeholders, {@code --set}, logic blocks
 *       ({@code --if-env X ... --endif}), validation. Later entries win, as later lines of a file do.</li>
 * </ul>
 * Unlike getopt, a long option must be spelled out (no unique-prefix abbreviations), and an unknown one is refused
 * with a suggestion. Pure: words in, entries out.
 */
public final class CommandLineConfig {
    private static final String RESOURCE = "option-arity.tsv";
    /** What an option takes on the command line. */
    enum Arity {
        /** A flag: {@code no_argument}. */
        NONE,
        /** A value only as {@code --name=value}: {@code optional_argument}. */
        OPTIONAL,
        /** A value: {@code required_argument}. */
        REQUIRED
    }

    private static final Map<String, Arity> ARITY = readArity();
    private static final Map<Character, String> SHORT = UwsgiOptionList.shortNames();
    /** The value an option of {@link Arity#OPTIONAL} gets when written without one (uWSGI's handlers take it as 1). */
    private static final String OPTIONAL_DEFAULT = "1";

    private final List<RawEntry> entries;
    private final List<String> files;
    /** The files named alone or with a loader option ({@code --ini} ...), not with {@code --include}. */
    private final List<String> configFiles;

    private CommandLineConfig(List<RawEntry> entries, List<String> files, List<String> configFiles) {
        this.entries = List.copyOf(entries);
        this.files = List.copyOf(files);
        this.configFiles = List.copyOf(configFiles);
    }

    /**
     * Splits a command line into entries.
     *
     * @param args the words after the program name
     * @return the entries, options first in their order, then one {@code include} per config file named alone
     * @throws IllegalArgumentException for a usage error, in getopt's words: {@code option '--socket' requires an
     *     argument}, {@code unrecognized option '--sockett' (did you mean 'socket'?)}, {@code invalid option -- 'Q'}
     */
    public static CommandLineConfig parse(List<String> args) {
        List<RawEntry> entries = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<String> configFiles = new ArrayList<>();
        Origin origin = new Origin(null, 0);
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (word.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (word.startsWith("--")) {
                int eq = word.indexOf('=');
                String name = LoadSession.canonicalKey(eq < 0 ? word.substring(2) : word.substring(2, eq));
                Arity arity = arity(name);
                if (arity == null) {
                    throw new IllegalArgumentException("unrecognized option '--" + name + "'"
                            + Suggestions.didYouMean(name));
                }
                if (eq >= 0) {
                    entries.add(RawEntry.of(name, word.substring(eq + 1), origin));
                } else if (arity == Arity.REQUIRED) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("option '--" + name + "' requires an argument");
                    }
                    entries.add(RawEntry.of(name, args.get(++i), origin));
                } else {
                    entries.add(noValue(name, arity, origin));
                }
                noteFile(name, entries.getLast(), files, configFiles);
            } else if (word.startsWith("-") && word.length() > 1) {
                for (int c = 1; c < word.length(); c++) {
                    char letter = word.charAt(c);
                    String name = SHORT.get(letter);
                    if (name == null) {
                        throw new IllegalArgumentException("invalid option -- '" + letter + "'");
                    }
                    Arity arity = arity(name);
                    String rest = word.substring(c + 1);
                    if (arity == Arity.NONE) {
                        entries.add(noValue(name, arity, origin));
                        continue;
                    }
                    if (!rest.isEmpty()) {
                        entries.add(RawEntry.of(name, rest, origin));
                    } else if (arity == Arity.REQUIRED) {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException("option requires an argument -- '" + letter + "'");
                        }
                        entries.add(RawEntry.of(name, args.get(++i), origin));
                    } else {
                        entries.add(noValue(name, arity, origin));
                    }
                    noteFile(name, entries.getLast(), files, configFiles);
                    break;
                }
            } else {
                positional.add(word);
            }
        }
        for (String file : positional) {
            if (!file.startsWith("[")) { // uWSGI skips these words ("[section]" markers of some tools)
                entries.add(RawEntry.of("include", file, origin));
                files.add(file);
                configFiles.add(file);
            }
        }
        return new CommandLineConfig(entries, files, configFiles);
    }

    private static RawEntry noValue(String name, Arity arity, Origin origin) {
        if (arity == Arity.OPTIONAL && !Logic.isLogicKey(Logic.optionName(name))) {
            return RawEntry.of(name, OPTIONAL_DEFAULT, origin);
        }
        return RawEntry.bare(name, origin);
    }

    private static void noteFile(String name, RawEntry entry, List<String> files, List<String> configFiles) {
        String option = Logic.optionName(name);
        if (!entry.bare() && (option.equals("ini") || option.equals("yaml") || option.equals("json")
                || option.equals("xml") || option.equals("include"))) {
            files.add(entry.value());
            if (!option.equals("include")) {
                configFiles.add(entry.value());
            }
        }
    }

    /** Returns what an option takes, or null when no option has that name. */
    static Arity arity(String name) {
        Option option = OptionTable.lookup(name);
        if (option == null && !Logic.isLogicKey(name)) {
            return null;
        }
        for (String n : option == null ? List.of(name) : names(option, name)) {
            Arity known = ARITY.get(n);
            if (known != null) {
                return known;
            }
        }
        return option != null && option.type() == OptionType.FLAG ? Arity.NONE : Arity.REQUIRED;
    }

    /** The name as written first (aliases may differ in arity, as chmod and chmod-socket do not), then the others. */
    private static List<String> names(Option option, String written) {
        List<String> names = new ArrayList<>();
        names.add(written);
        names.add(option.name());
        names.addAll(option.aliases());
        return names;
    }

    /** Returns the entries: the command line's options in order, then an {@code include} per config file. */
    List<RawEntry> entries() {
        return entries;
    }

    /** Returns the config files the command line names (alone or with --ini/--yaml/--json/--xml/--include). */
    public List<String> files() {
        return files;
    }

    /**
     * Returns the file that stands for the vassal in its log lines: the first one named alone or with {@code --ini},
     * {@code --yaml}, {@code --json} or {@code --xml}, else the first {@code --include}d one, else null. An emperor
     * runs {@code vassal --include common.ini --ini app.ini} for {@code vassals-include-before}: the vassal is
     * {@code app.ini}.
     */
    public String vassalFile() {
        return !configFiles.isEmpty() ? configFiles.getFirst() : files.isEmpty() ? null : files.getFirst();
    }

    /** Returns whether the command line names no option at all, only config files. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Returns the entries as {@code key=value} words, for messages and tests ({@code key} alone when bare). */
    public List<String> describe() {
        return entries.stream().map(e -> e.bare() ? e.key() : e.key() + "=" + e.value()).toList();
    }

    private static Map<String, Arity> readArity() {
        try (InputStream in = CommandLineConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing");
            }
            Map<String, Arity> map = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length != 2) {
                    throw new IllegalStateException(RESOURCE + ": bad line: " + line);
                }
                map.put(cols[0], cols[1].equals("none") ? Arity.NONE : Arity.OPTIONAL);
            }
            return Map.copyOf(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
