package dev.imperium.vassal;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One external process the master runs beside the workers (uwsgi-docs "Managing external daemons/services"; uWSGI 2.0
 * {@code core/daemons.c} {@code uwsgi_opt_add_daemon}, {@code uwsgi_opt_add_daemon2}), as written in the vassal file:
 * <ul>
 *   <li>{@code attach-daemon = COMMAND}: runs in the foreground, restarted when it dies, stopped with the vassal;</li>
 *   <li>{@code attach-control-daemon = COMMAND}: the same, and its death stops the vassal;</li>
 *   <li>{@code smart-attach-daemon = PIDFILE[,FREQ] COMMAND}: COMMAND daemonizes and writes PIDFILE; the master
 *       watches that pid and starts COMMAND again only when it is gone;</li>
 *   <li>{@code smart-attach-daemon2 = PIDFILE[,FREQ] COMMAND}: the same for a COMMAND that stays in the foreground:
 *       the master writes PIDFILE;</li>
 *   <li>{@code attach-daemon2 = key=value,...}: the keyword form of all of them.</li>
 * </ul>
 *
 * @param command the command, run by {@code /bin/sh -c}
 * @param pidfile the pidfile of a smart daemon, or null for one the master runs in the foreground
 * @param daemonize the master writes the pidfile (smart-attach-daemon2, {@code daemonize} key)
 * @param control the vassal stops when the daemon dies ({@code attach-control-daemon}, {@code control} key)
 * @param stopSignal the signal that stops it (default 15, SIGTERM), sent to its process group
 * @param reloadSignal the signal sent instead of {@code stopSignal} when the vassal reloads (0 = none)
 * @param freq how many seconds a smart daemon may take to write its pidfile (default 10)
 * @param touch files whose touch restarts the daemon ({@code touch} key, {@code ;}-separated)
 * @param honourStdin keep the master's stdin instead of {@code /dev/null} ({@code stdin} key,
 *     {@code daemons-honour-stdin})
 * @param uid the user id it runs as ({@code uid} key, else the vassal's {@code uid}), or -1 for the master's
 * @param gid the group id it runs as ({@code gid} key, else the vassal's {@code gid}), or -1 for the master's
 * @param chdir its working directory, or null for the vassal's
 * @param maxThrottle the longest pause before a respawn, in seconds (0 = uWSGI's 300)
 * @param notifyPid a smart daemon also gets the stop or reload signal when the vassal stops or reloads
 */
record DaemonSpec(String command, String pidfile, boolean daemonize, boolean control, int stopSignal,
        int reloadSignal, int freq, List<String> touch, boolean honourStdin, int uid, int gid, String chdir,
        int maxThrottle, boolean notifyPid) {

    static final int SIGTERM = 15;
    private static final int DEFAULT_FREQ = 10;

    /** Returns this daemon run as the vassal's {@code uid}/{@code gid} unless its own {@code uid}/{@code gid} say. */
    DaemonSpec runningAs(PrivilegeDrop drop) {
        int u = uid >= 0 ? uid : drop.uid();
        int g = gid >= 0 ? gid : drop.gid();
        return new DaemonSpec(command, pidfile, daemonize, control, stopSignal, reloadSignal, freq, touch,
                honourStdin, u, g, chdir, maxThrottle, notifyPid);
    }

    /** Returns true for a pidfile-governed daemon, which survives the death of the master. */
    boolean smart() {
        return pidfile != null;
    }

    /**
     * Reads every daemon option of a config, in file order.
     *
     * @throws IllegalArgumentException naming the entry's file, line and option when one is malformed
     */
    static List<DaemonSpec> from(VassalConfig config) {
        boolean honourStdin = config.flag("daemons-honour-stdin");
        // as under uWSGI, whose master drops to uid/gid before it spawns daemons: they run as the vassal's user
        PrivilegeDrop drop = config.isSet("uid") || config.isSet("gid") ? PrivilegeDrop.from(config) : null;
        if (drop != null && !drop.drops(dev.imperium.os.Credentials.effectiveUid())) {
            drop = null; // not root: uid/gid are ignored, as for the workers
        }
        List<DaemonSpec> out = new ArrayList<>();
        for (ConfigEntry entry : config.entries()) {
            String key = VassalConfig.canonicalKey(entry);
            if (!key.contains("attach-")) {
                continue;
            }
            try {
                DaemonSpec spec = parse(key, entry.value(), honourStdin);
                if (spec != null) {
                    out.add(drop == null ? spec : spec.runningAs(drop));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(entry.origin() + ": " + key + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Parses one daemon option.
     *
     * @param option the option's name
     * @param value its value
     * @param honourStdin the {@code daemons-honour-stdin} flag
     * @return the daemon, or null if {@code option} is no daemon option
     * @throws IllegalArgumentException if the value is malformed
     */
    static DaemonSpec parse(String option, String value, boolean honourStdin) {
        String v = value.trim();
        return switch (option) {
            case "attach-daemon" -> simple(v, false, honourStdin);
            case "attach-control-daemon" -> simple(v, true, honourStdin);
            case "smart-attach-daemon" -> smart(v, false, honourStdin);
            case "smart-attach-daemon2" -> smart(v, true, honourStdin);
            case "attach-daemon2" -> keywords(v, honourStdin);
            default -> null;
        };
    }

    private static DaemonSpec simple(String command, boolean control, boolean honourStdin) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("needs a command");
        }
        return new DaemonSpec(command, null, false, control, SIGTERM, 0, DEFAULT_FREQ, List.of(), honourStdin, -1,
                -1, null, 0, false);
    }

    /** {@code PIDFILE[,FREQ] COMMAND}, as uWSGI splits it: at the first space, then the pidfile at a comma. */
    private static DaemonSpec smart(String value, boolean daemonize, boolean honourStdin) {
        int space = value.indexOf(' ');
        if (space <= 0 || value.substring(space + 1).isBlank()) {
            throw new IllegalArgumentException("expected PIDFILE COMMAND, got '" + value + "'");
        }
        String pidfile = value.substring(0, space);
        int freq = DEFAULT_FREQ;
        int comma = pidfile.indexOf(',');
        if (comma >= 0) {
            freq = number("freq", pidfile.substring(comma + 1));
            pidfile = pidfile.substring(0, comma);
        }
        return new DaemonSpec(value.substring(space + 1).trim(), pidfile, daemonize, false, SIGTERM, 0, freq,
                List.of(), honourStdin, -1, -1, null, 0, false);
    }

    /**
     * {@code key=value,...} as uWSGI's {@code uwsgi_kvlist_parse} reads it: items split at commas, a backslash
     * escapes the next character (so {@code \,} is a comma inside a value), each item split at its first {@code =}.
     * Unlike uWSGI, which ignores them, an unknown key or an item without {@code =} is an error.
     */
    private static DaemonSpec keywords(String value, boolean honourStdin) {
        Map<String, String> kv = keyValues(value);
        String command = null;
        for (String alias : new String[] {"command", "cmd", "exec"}) {
            if (kv.containsKey(alias)) {
                command = kv.remove(alias);
            }
        }
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("you need to specify a 'command' key");
        }
        String pidfile = kv.remove("pidfile");
        boolean daemonize = flag(kv, "daemonize") | flag(kv, "daemon");
        if (daemonize && pidfile == null) {
            throw new IllegalArgumentException("'daemonize' needs a 'pidfile' key");
        }
        boolean control = flag(kv, "control");
        int stop = signal(first(kv, "stopsignal", "stop_signal"), SIGTERM);
        int reload = signal(first(kv, "reloadsignal", "reload_signal"), 0);
        String freq = kv.remove("freq");
        List<String> touch = new ArrayList<>();
        String touches = kv.remove("touch");
        if (touches != null) {
            for (String t : touches.split(";")) {
                String file = unquote(t.trim());
                if (!file.isEmpty()) {
                    touch.add(file);
                }
            }
        }
        boolean stdin = flag(kv, "stdin") || honourStdin;
        String uid = kv.remove("uid");
        String gid = kv.remove("gid");
        String chdir = kv.remove("chdir");
        String maxThrottle = kv.remove("max_throttle");
        boolean notify = flag(kv, "notifypid");
        if (kv.containsKey("ns_pid") || kv.containsKey("legion")) {
            throw new IllegalArgumentException("key '" + (kv.containsKey("ns_pid") ? "ns_pid" : "legion")
                    + "' is not supported by Imperium");
        }
        if (!kv.isEmpty()) {
            throw new IllegalArgumentException("unknown key '" + kv.keySet().iterator().next() + "' (known: command,"
                    + " freq, pidfile, control, daemonize, touch, stopsignal, reloadsignal, stdin, uid, gid, chdir,"
                    + " max_throttle, notifypid)");
        }
        return new DaemonSpec(command.trim(), pidfile, daemonize, control, stop, reload,
                freq == null ? DEFAULT_FREQ : number("freq", freq), List.copyOf(touch), stdin,
                uid == null ? -1 : number("uid", uid), gid == null ? -1 : number("gid", gid), chdir,
                maxThrottle == null ? 0 : number("max_throttle", maxThrottle), notify);
    }

    /** Splits {@code k=v,k=v} with uWSGI's escaping; a repeated key keeps its last value. */
    static Map<String, String> keyValues(String value) {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (escaped) {
                item.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',') {
                items.add(item.toString());
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        if (!item.isEmpty()) {
            items.add(item.toString());
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String it : items) {
            int eq = it.indexOf('=');
            if (eq <= 0) {
                if (it.isBlank()) {
                    continue;
                }
                throw new IllegalArgumentException("invalid keyval syntax: '" + it + "' is no key=value");
            }
            kv.put(it.substring(0, eq).trim().toLowerCase(Locale.ROOT), it.substring(eq + 1));
        }
        return kv;
    }

    private static String first(Map<String, String> kv, String a, String b) {
        String va = kv.remove(a);
        String vb = kv.remove(b);
        return vb != null ? vb : va;
    }

    private static boolean flag(Map<String, String> kv, String key) {
        String v = kv.remove(key);
        if (v == null) {
            return false;
        }
        return VassalConfig.parseBoolean(key, v);
    }

    private static int number(String key, String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' needs a whole number, got '" + text + "'", e);
        }
    }

    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("USR2", 12),
            Map.entry("TERM", 15), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20),
            Map.entry("WINCH", 28));

    /** A signal number, as uWSGI reads it, or a name ({@code TERM}, {@code SIGHUP}). */
    static int signal(String text, int fallback) {
        if (text == null) {
            return fallback;
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        Integer named = SIGNALS.get(t.startsWith("SIG") ? t.substring(3) : t);
        if (named != null) {
            return named;
        }
        int n;
        try {
            n = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown signal '" + text + "' (a number, or HUP, INT, QUIT, KILL,"
                    + " USR1, USR2, TERM, CONT, STOP, TSTP, WINCH)", e);
        }
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("invalid signal number " + n);
        }
        return n;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
