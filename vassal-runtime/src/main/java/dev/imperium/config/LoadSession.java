package dev.imperium.config;

import dev.imperium.config.WorkEntry.FileKey;
import dev.imperium.config.WorkEntry.State;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@link ConfigLoader#load} call: reads the vassal file and everything it includes, applies configuration logic,
 * expands values and validates the result, in uWSGI 2.0's order ({@code ParsingOrder.html}):
 *
 * <ol>
 *   <li>Each file's text gets its magic variables, is parsed, and its entries are taken top to bottom. Includes
 *       ({@code include}, {@code ini}, {@code yaml}, {@code json}, {@code xml}) are read where they stand,
 *       {@code set}/{@code set-ph}/{@code declare-option} apply at once, and {@code for}/{@code if-*} blocks are
 *       evaluated, with {@code %(_)} replaced in the values of their entries. These "immediate" arguments see only
 *       entries written above them.</li>
 *   <li>The extra entries ({@code --set}) follow, the same way.</li>
 *   <li>Every value is expanded: {@code $(ENV)}, {@code @(file)}, {@code %(placeholder)}. A placeholder is the
 *       first entry of that name anywhere, so it may be written after its use.</li>
 *   <li>{@code inherit} files are read last, their entries appended at the end (uWSGI reads them after
 *       expansion), then expanded themselves.</li>
 *   <li>Options made with {@code declare-option} are replaced by what they stand for.</li>
 *   <li>Everything is checked against the option table.</li>
 * </ol>
 */
final class LoadSession implements Conditions.Context {
    /** The deepest include nesting allowed. */
    static final int MAX_INCLUDE_DEPTH = 32;
    /** The most entries a config may produce (loops and includes multiply them). */
    static final int MAX_ENTRIES = 100_000;
    /** The most {@code inherit} files one config may read. */
    static final int MAX_INHERITS = 64;
    /** The longest chain of placeholders referring to each other. */
    static final int MAX_PLACEHOLDER_DEPTH = 64;
    /** The largest config file, in bytes. */
    static final int MAX_CONFIG_BYTES = ConfigFiles.MAX_CONFIG_BYTES;

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
    /** A reference that expansion left as written, because it failed (and was reported). */
    private static final Pattern UNRESOLVED = Pattern.compile(".*[%$@]\\([^)]+\\).*", Pattern.DOTALL);
    private static final Set<String> TEMPLATE_OPTIONS = Set.of("log-format", "logformat", "log-encoder",
            "log-req-encoder");
    private static final String ABOVE = " above this line (include, set, if-* and for arguments are read before the"
            + " rest of the file, so they only see entries written above them)";

    private final LoaderOptions options;
    private final Diagnostics diagnostics = new Diagnostics();
    private final SystemFacts facts = new SystemFacts();
    private final MagicVars magic;
    private final Expander expander;
    private final Set<String> referenced = new HashSet<>();
    private final Set<String> explicitPlaceholders = new HashSet<>();
    private final Map<String, CustomOption> customOptions = new LinkedHashMap<>();
    private List<WorkEntry> entries = new ArrayList<>();
    private final Map<String, WorkEntry> firstByKey = new HashMap<>();
    private final Deque<FileKey> reading = new ArrayDeque<>();
    private final Deque<String> resolving = new ArrayDeque<>();
    private List<FileKey> inheritBase = List.of();
    private Path topFile;
    private Path lastIniFile;
    private boolean tooMany;

    /** Whether entries are checked against the option table (false for files holding other programs' options). */
    private final boolean validate;

    LoadSession(LoaderOptions options) {
        this(options, true);
    }

    LoadSession(LoaderOptions options, boolean validate) {
        this.options = options;
        this.validate = validate;
        this.magic = new MagicVars(options, facts, currentMicros());
        this.expander = new Expander(options.env(), new ExternalContent(options, diagnostics), diagnostics, referenced);
    }

    /** The key as uWSGI would need it: {@code _} becomes {@code -} (except the loop variable {@code _} itself). */
    static String canonicalKey(String key) {
        return key.equals("_") ? key : key.replace('_', '-');
    }

    VassalConfig load(String spec, List<ConfigEntry> extra) throws ConfigException {
        readTop(spec);
        List<RawEntry> extras = new ArrayList<>();
        for (ConfigEntry entry : extra) {
            extras.add(RawEntry.of(entry.key(), entry.value(), entry.origin()));
        }
        evaluate(Logic.parse(extras, diagnostics), null);
        return finish();
    }

    /**
     * Loads a command line's entries ({@link CommandLineConfig}) as if they were the lines of a file: the files it
     * names are included where they stand.
     */
    VassalConfig loadCommandLine(List<RawEntry> args) throws ConfigException {
        evaluate(Logic.parse(args, diagnostics), null);
        if (topFile == null) {
            topFile = options.cwd();
        }
        return finish();
    }

    private VassalConfig finish() throws ConfigException {
        resolveAll(0);
        readInherited();
        expandCustomOptions();
        if (validate) {
            Validator.validate(entries, referenced, explicitPlaceholders, diagnostics);
        }
        if (diagnostics.hasErrors()) {
            throw new ConfigException(diagnostics.all());
        }
        return new VassalConfig(topFile, entries.stream().map(WorkEntry::toConfigEntry).toList(), diagnostics.all());
    }

    // ---- reading files

    private void readTop(String spec) {
        ConfigSpec parsed = ConfigSpec.parse(spec);
        if (parsed.path() == null) {
            topFile = options.cwd();
            diagnostics.error(new Origin(null, 0), null, "'" + spec + "' names no config file");
            return;
        }
        topFile = options.cwd().resolve(parsed.path()).normalize();
        ConfigFormat format = ConfigFormat.byExtension(topFile);
        if (format == null) {
            diagnostics.error(new Origin(topFile, 0), null, "unknown config file type: the name must end with "
                    + ConfigFormat.knownExtensions());
            return;
        }
        readFile(topFile, parsed, format, null, null, true);
    }

    private void readFile(Path path, ConfigSpec spec, ConfigFormat format, Origin from, String viaKey, boolean top) {
        if (topFile == null) {
            topFile = path; // a command line's first file stands for the vassal
        }
        Origin at = from != null ? from : new Origin(path, 0);
        FileKey key = new FileKey(realPath(path), spec.section());
        List<FileKey> chain = via();
        if (chain.contains(key)) {
            StringBuilder cycle = new StringBuilder();
            for (FileKey file : chain.subList(chain.indexOf(key), chain.size())) {
                cycle.append(file).append(" -> ");
            }
            diagnostics.error(at, viaKey, "include cycle: " + cycle + key);
            return;
        }
        if (reading.size() >= MAX_INCLUDE_DEPTH) {
            diagnostics.error(at, viaKey, "includes are nested more than " + MAX_INCLUDE_DEPTH + " deep");
            return;
        }
        String text = readText(path, at, viaKey, top, format == ConfigFormat.INI);
        if (text == null) {
            return;
        }
        MagicVars.Substitution substituted = magic.forFile(path, spec.asWritten(), spec.section()).substitute(text);
        FormatReader reader = format.reader();
        ReadResult result = reader.read(path, substituted.text(), spec.section(), diagnostics);
        if (format == ConfigFormat.INI) {
            lastIniFile = path;
        }
        if (!result.sectionFound() && !result.failed()) {
            String missing = "no " + reader.describeSection(spec.section()) + " in " + path;
            if (top) {
                diagnostics.error(at, null, missing);
            } else {
                diagnostics.warning(at, viaKey, missing + ": nothing is included");
            }
        }
        reportUnknownMagic(path, substituted, result.entries());
        List<Node> nodes = Logic.parse(result.entries(), diagnostics);
        reading.addLast(key);
        try {
            evaluate(nodes, null);
        } finally {
            reading.removeLast();
        }
    }

    private String readText(Path path, Origin at, String viaKey, boolean top, boolean ini) {
        byte[] bytes;
        try {
            bytes = ConfigFiles.read(path, MAX_CONFIG_BYTES); // issue 8: bad configs (FIFOs, /dev/zero, loops...)
        } catch (ConfigFiles.UnreadableException e) {
            diagnostics.error(at, viaKey, e.missing()
                    ? (top ? "config file " : "included file ") + path + " does not exist" : e.getMessage());
            return null;
        }
        // issue 8: bad configs: binary junk, NUL and control characters, huge lines
        ConfigText.Decoded decoded = ConfigText.decode(bytes, ini);
        if (decoded.problem() != null) {
            diagnostics.error(new Origin(path, decoded.line()), null, decoded.problem());
            return null;
        }
        if (decoded.warning() != null) {
            diagnostics.warning(new Origin(path, decoded.line()), null, decoded.warning());
        }
        return decoded.text();
    }

    private void reportUnknownMagic(Path path, MagicVars.Substitution substituted, List<RawEntry> read) {
        if (substituted.unknown().isEmpty()) {
            return;
        }
        Map<Integer, String> keyByLine = new HashMap<>();
        read.forEach(e -> keyByLine.putIfAbsent(e.origin().line(), e.key()));
        for (MagicVars.Unknown unknown : substituted.unknown()) {
            String key = keyByLine.get(unknown.line());
            if (key == null) {
                continue;
            }
            Origin origin = new Origin(path, unknown.line());
            if (unknown.sequence().equals("%")) {
                diagnostics.error(origin, key, "a '%' at the end of a line is no magic variable (uWSGI would join the"
                        + " next line to this one); write '%%' for a literal '%'");
            } else {
                diagnostics.error(origin, key, "unknown magic variable '" + unknown.sequence() + "' (uWSGI replaces it"
                        + " with nothing); write '%%' for a literal '%'");
            }
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** The files the entries being read now come through, outermost first. */
    private List<FileKey> via() {
        List<FileKey> via = new ArrayList<>(inheritBase);
        via.addAll(reading);
        return List.copyOf(via);
    }

    // ---- logic

    /** The value of {@code %(_)} in a block; null value when the block sets none. */
    private record Scope(String value) {
    }

    private void evaluate(List<Node> nodes, Scope scope) {
        for (Node node : nodes) {
            if (tooMany) {
                return;
            }
            switch (node) {
                case Node.Leaf leaf -> {
                    RawEntry raw = leaf.entry();
                    String key = canonicalKey(raw.key());
                    handle(new WorkEntry(key, underscore(raw.value(), scope, raw.origin(), key), raw.origin(),
                            raw.bare(), via()), 0);
                }
                case Node.Block block -> evaluateBlock(block, scope);
            }
        }
    }

    private String underscore(String value, Scope scope, Origin origin, String key) {
        if (scope == null || !value.contains("%(_)")) {
            return value;
        }
        if (scope.value() == null) {
            diagnostics.error(origin, key, "%(_) has no value here: this block does not set one (if-not-env,"
                    + " if-not-opt with an unset name, if-reload)");
            return value.replace("%(_)", "");
        }
        return value.replace("%(_)", scope.value());
    }

    private void evaluateBlock(Node.Block block, Scope scope) {
        RawEntry opener = block.opener();
        String key = canonicalKey(opener.key());
        String kind = block.kind();
        if (opener.bare() && !kind.endsWith("-reload")) {
            diagnostics.error(opener.origin(), key, "'" + key + "' needs a value");
            return;
        }
        String arg = immediate(underscore(opener.value(), scope, opener.origin(), key), opener.origin(), key);
        if (Logic.LOOPS.contains(kind)) {
            List<String> items = Loops.items(kind, arg, options.cwd(), opener.origin(), key, diagnostics);
            if (items == null) {
                return;
            }
            // uWSGI applies the loop to each entry in turn, not to the block as a whole (ConfigLogic.html)
            for (Node child : block.body()) {
                for (String item : items) {
                    evaluate(List.of(child), new Scope(item));
                }
            }
            return;
        }
        if (kind.equals("if-opt") || kind.equals("if-not-opt")) {
            int eq = arg.indexOf('=');
            referenced.add(canonicalKey(eq < 0 ? arg : arg.substring(0, eq)));
        }
        Conditions.Outcome outcome = Conditions.test(kind, arg, this, opener.origin(), diagnostics);
        if (outcome.taken()) {
            evaluate(block.body(), new Scope(outcome.underscore()));
        }
    }

    // ---- immediate options

    private void handle(WorkEntry entry, int depth) {
        if (entries.size() >= MAX_ENTRIES) {
            if (!tooMany) {
                diagnostics.error(entry.origin, entry.key, "the config produces more than " + MAX_ENTRIES + " entries");
            }
            tooMany = true;
            return;
        }
        String name = Logic.optionName(entry.key);
        switch (name) {
            case "include", "ini", "yaml", "json", "xml" -> include(entry, name);
            case "set", "set-placeholder" -> set(entry, name, depth);
            case "declare-option", "declare-option2" -> declare(entry);
            default -> {
                if (Logic.isLogicKey(name)) {
                    diagnostics.error(entry.origin, entry.key, "'" + entry.key + "' must be written as an entry of"
                            + " its own; it cannot come from set or declare-option");
                    return;
                }
                add(entry);
            }
        }
    }

    private void add(WorkEntry entry) {
        entries.add(entry);
        firstByKey.putIfAbsent(entry.key, entry);
    }

    private void include(WorkEntry entry, String name) {
        if (entry.bare) {
            diagnostics.error(entry.origin, entry.key, "'" + entry.key + "' needs a file name");
            return;
        }
        entry.value = immediate(entry.value, entry.origin, entry.key);
        entry.state = State.DONE;
        add(entry);
        ConfigSpec spec = ConfigSpec.parse(entry.value);
        if (!supportedSource(entry)) {
            return;
        }
        if (!options.allowExec() && entry.value.contains("@(exec://")) {
            diagnostics.warning(entry.origin, entry.key, "not read: the file name comes from @(exec://…), which is not"
                    + " run when running commands is disabled");
            return;
        }
        if (UNRESOLVED.matcher(entry.value).matches()) {
            return;
        }
        Path path;
        if (spec.path() == null) {
            if (!name.equals("ini") || lastIniFile == null) {
                diagnostics.error(entry.origin, entry.key, "'" + entry.value + "' names no file: only 'ini = :section'"
                        + " may omit it (meaning the last ini file read)");
                return;
            }
            path = lastIniFile;
        } else {
            path = ConfigPaths.resolve(options.cwd(), spec.path(), entry.origin, entry.key, diagnostics);
            if (path == null) {
                return;
            }
            path = path.normalize();
        }
        ConfigFormat format = switch (name) {
            case "ini" -> ConfigFormat.INI;
            case "yaml" -> ConfigFormat.YAML;
            case "json" -> ConfigFormat.JSON;
            case "xml" -> ConfigFormat.XML;
            default -> ConfigFormat.byExtension(path);
        };
        if (format == null) {
            diagnostics.error(entry.origin, entry.key, "cannot tell the format of " + path + ": the name must end with "
                    + ConfigFormat.knownExtensions() + " (or use ini/yaml/json/xml instead of " + entry.key + ")");
            return;
        }
        readFile(path, spec, format, entry.origin, entry.key, false);
    }

    private boolean supportedSource(WorkEntry entry) {
        if (SCHEME.matcher(entry.value).matches() || entry.value.equals("-")) {
            diagnostics.unsupported(entry.origin, entry.key, "'" + entry.key + " = " + entry.value + "': Imperium reads"
                    + " config only from files, not from uWSGI schemes or stdin");
            return false;
        }
        return true;
    }

    private void set(WorkEntry entry, String name, int depth) {
        int eq = entry.value.indexOf('=');
        if (entry.bare || eq <= 0) {
            diagnostics.error(entry.origin, entry.key, "'" + entry.key + "' needs NAME=VALUE, got '"
                    + (entry.bare ? "" : entry.value) + "'");
            return;
        }
        if (depth > 8) {
            diagnostics.error(entry.origin, entry.key, "'" + entry.key + "' nested too deep");
            return;
        }
        String key = canonicalKey(entry.value.substring(0, eq).strip());
        WorkEntry derived = new WorkEntry(key, entry.value.substring(eq + 1), entry.origin, false, entry.via);
        if (name.equals("set-placeholder")) {
            if (OptionTable.lookup(key) != null) {
                diagnostics.error(entry.origin, key, "'" + key + "' is an option, so it cannot be a placeholder"
                        + " (use 'set' to set an option)");
                return;
            }
            explicitPlaceholders.add(key);
            add(derived);
            return;
        }
        handle(derived, depth + 1);
    }

    private void declare(WorkEntry entry) {
        int eq = entry.value.indexOf('=');
        if (entry.bare || eq <= 0) {
            diagnostics.error(entry.origin, entry.key, "'" + entry.key + "' needs NAME=OPTION=VALUE[;OPTION=VALUE...]");
            return;
        }
        String name = canonicalKey(entry.value.substring(0, eq).strip());
        if (OptionTable.lookup(name) != null) {
            diagnostics.error(entry.origin, entry.key, "cannot declare option '" + name + "': it already exists");
            return;
        }
        CustomOption previous = customOptions.putIfAbsent(name, new CustomOption(name, entry.value.substring(eq + 1),
                entry.origin));
        if (previous != null) {
            diagnostics.warning(entry.origin, entry.key, "option '" + name + "' was already declared at "
                    + previous.origin() + "; that first declaration counts");
        }
    }

    /** Expands an immediate argument; placeholders resolve against the entries written so far. */
    private String immediate(String value, Origin origin, String key) {
        return expander.expand(value, origin, key, new SoFar(), ABOVE, false);
    }

    /** Placeholder lookup for immediate arguments: only entries already read, nothing memoized. */
    private final class SoFar implements Expander.Placeholders {
        private final Deque<String> chain = new ArrayDeque<>();
        /** Issue 8: bad configs: each placeholder expanded once per argument, not 2^n times for a doubling chain. */
        private final Map<String, Expander.Lookup> memo = new HashMap<>();

        @Override
        public Expander.Lookup lookup(String key, Origin usedAt, String usedBy) {
            Expander.Lookup known = memo.get(key);
            if (known != null) {
                return known;
            }
            Expander.Lookup found = find(key, usedAt, usedBy);
            memo.put(key, found);
            return found;
        }

        private Expander.Lookup find(String key, Origin usedAt, String usedBy) {
            WorkEntry first = firstByKey.get(key);
            if (first == null) {
                return Expander.Lookup.UNDEFINED;
            }
            if (first.state == State.DONE) {
                return Expander.Lookup.of(first.value);
            }
            if (chain.contains(key) || chain.size() >= MAX_PLACEHOLDER_DEPTH) {
                diagnostics.error(usedAt, usedBy, cycleMessage(chain, key));
                return Expander.Lookup.FAILED;
            }
            chain.addLast(key);
            try {
                return Expander.Lookup.of(expander.expand(first.value, first.origin, first.key, this, ABOVE,
                        TEMPLATE_OPTIONS.contains(Logic.optionName(first.key))));
            } finally {
                chain.removeLast();
            }
        }
    }

    // ---- expansion

    private void resolveAll(int from) {
        for (int i = from; i < entries.size(); i++) {
            resolve(entries.get(i));
        }
    }

    private String resolve(WorkEntry entry) {
        if (entry.state == State.PENDING) {
            entry.state = State.RESOLVING;
            resolving.addLast(entry.key);
            try {
                entry.value = expander.expand(entry.value, entry.origin, entry.key, this::lookupFinal, "",
                        TEMPLATE_OPTIONS.contains(Logic.optionName(entry.key)));
            } finally {
                resolving.removeLast();
                entry.state = State.DONE;
            }
        }
        return entry.value;
    }

    private Expander.Lookup lookupFinal(String key, Origin usedAt, String usedBy) {
        WorkEntry first = firstByKey.get(key);
        if (first == null) {
            return Expander.Lookup.UNDEFINED;
        }
        if (first.state == State.RESOLVING || resolving.size() >= MAX_PLACEHOLDER_DEPTH) {
            diagnostics.error(usedAt, usedBy, cycleMessage(resolving, key));
            return Expander.Lookup.FAILED;
        }
        return Expander.Lookup.of(resolve(first));
    }

    private static String cycleMessage(Deque<String> chain, String key) {
        if (!chain.contains(key)) {
            return "placeholders refer to each other more than " + MAX_PLACEHOLDER_DEPTH + " deep at %(" + key + ")";
        }
        List<String> names = new ArrayList<>(chain);
        StringBuilder cycle = new StringBuilder();
        for (String name : names.subList(names.indexOf(key), names.size())) {
            cycle.append(name).append(" -> ");
        }
        return "placeholder cycle: " + cycle + key;
    }

    // ---- inherit and custom options

    private void readInherited() {
        int count = 0;
        for (int i = 0; i < entries.size(); i++) {
            WorkEntry entry = entries.get(i);
            if (!Logic.optionName(entry.key).equals("inherit") || entry.bare || !supportedSource(entry)
                    || UNRESOLVED.matcher(entry.value).matches()) {
                continue;
            }
            if (++count > MAX_INHERITS) {
                diagnostics.error(entry.origin, entry.key, "more than " + MAX_INHERITS + " inherit files");
                return;
            }
            ConfigSpec spec = ConfigSpec.parse(entry.value);
            if (spec.path() == null) {
                diagnostics.error(entry.origin, entry.key, "'" + entry.value + "' names no file");
                continue;
            }
            Path path = ConfigPaths.resolve(options.cwd(), spec.path(), entry.origin, entry.key, diagnostics);
            if (path == null) {
                continue;
            }
            path = path.normalize();
            ConfigFormat format = ConfigFormat.byExtension(path);
            if (format == null) {
                diagnostics.error(entry.origin, entry.key, "cannot tell the format of " + path
                        + ": the name must end with " + ConfigFormat.knownExtensions());
                continue;
            }
            int before = entries.size();
            inheritBase = entry.via;
            try {
                readFile(path, spec, format, entry.origin, entry.key, false);
            } finally {
                inheritBase = List.of();
            }
            resolveAll(before);
        }
    }

    private void expandCustomOptions() {
        if (customOptions.isEmpty()) {
            return;
        }
        List<WorkEntry> expanded = new ArrayList<>();
        for (WorkEntry entry : entries) {
            expandCustom(entry, expanded, 0);
        }
        entries = expanded;
    }

    private void expandCustom(WorkEntry entry, List<WorkEntry> out, int depth) {
        CustomOption custom = OptionTable.lookup(entry.key) == null ? customOptions.get(entry.key) : null;
        if (custom == null) {
            out.add(entry);
            return;
        }
        if (depth > 8) {
            diagnostics.error(entry.origin, entry.key, "declared options expand into each other more than 8 deep");
            return;
        }
        List<String[]> pairs = custom.expand(entry.value, entry.origin, diagnostics);
        if (pairs == null) {
            return;
        }
        for (String[] pair : pairs) {
            WorkEntry generated = new WorkEntry(canonicalKey(pair[0]), pair[1], entry.origin, false, entry.via);
            resolve(generated);
            expandCustom(generated, out, depth + 1);
        }
    }

    // ---- Conditions.Context

    @Override
    public Map<String, String> env() {
        return options.env();
    }

    @Override
    public Path cwd() {
        return options.cwd();
    }

    @Override
    public String firstValue(String key) {
        Option option = OptionTable.lookup(key);
        for (WorkEntry entry : entries) {
            if (entry.key.equals(key) || (option != null && OptionTable.lookup(entry.key) == option)) {
                return entry.value;
            }
        }
        return null;
    }

    @Override
    public String hostname() {
        return facts.hostname();
    }

    private static long currentMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
