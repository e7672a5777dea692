package dev.imperium.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TEMPORARY stub until the config workstream lands: plain [uwsgi] ini only, %d only. */
public final class ConfigLoader {
    private final LoaderOptions options;

    public ConfigLoader(LoaderOptions options) {
        this.options = options;
    }

    public VassalConfig load(String spec) throws ConfigException {
        return load(spec, List.of());
    }

    public VassalConfig load(String spec, List<ConfigEntry> extra) throws ConfigException {
        Path file = options.cwd().resolve(spec).toAbsolutePath().normalize();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(new Origin(file, 0), null, "cannot read: " + e);
        }
        List<ConfigEntry> entries = new ArrayList<>();
        boolean in = false;
        int n = 0;
        String dir = file.getParent().toString() + "/";
        for (String line : lines) {
            n++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) continue;
            if (t.startsWith("[")) { in = t.equals("[uwsgi]"); continue; }
            if (!in) continue;
            int eq = t.indexOf('=');
            String k = eq < 0 ? t : t.substring(0, eq).trim();
            String v = eq < 0 ? "true" : t.substring(eq + 1).trim();
            entries.add(new ConfigEntry(k.replace('_', '-'), v.replace("%d", dir), new Origin(file, n)));
        }
        entries.addAll(extra);
        return new VassalConfig(file, entries, List.of());
    }
}
