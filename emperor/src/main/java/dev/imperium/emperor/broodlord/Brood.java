package dev.imperium.emperor.broodlord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The emperor's zergs (uwsgi-docs "Broodlord"; uWSGI 2.0 {@code core/emperor.c}, message 30 in
 * {@code emperor_loop}, {@code emperor_add}, {@code emperor_del}): a vassal (the lord) that asks for reinforcements
 * gets a zerg while fewer than {@code emperor-broodlord} zergs run in all. A zerg is a vassal of its own, named
 * {@code LORD:zerg} (further ones of the same lord {@code LORD:zerg#2}, {@code #3}..., since Imperium names every
 * vassal uniquely), run from the {@code [zerg]} section of the lord's file ({@code vassal LORD:zerg}). It is counted
 * from its start until it is gone; it is never respawned; it stops when it asks to ({@code die-on-idle}) and when its
 * lord is stopped. Pure bookkeeping over names; the supervisor does the starting and stopping. Not thread-safe: the
 * emperor's event loop owns it.
 */
public final class Brood {
    /** What a zerg's name adds to its lord's, and the section of the lord's file it runs. */
    public static final String SUFFIX = ":zerg";
    private static final Pattern ZERG_NAME = Pattern.compile(".+" + Pattern.quote(SUFFIX) + "(#[0-9]+)?");

    private final BroodlordSettings settings;
    /** Each zerg's lord, by the zerg's name, in the order they started. */
    private final Map<String, String> lords = new LinkedHashMap<>();
    /** Lords told once that broodlord mode is off. */
    private final Set<String> toldOff = new HashSet<>();

    /**
     * Creates the bookkeeping.
     *
     * @param settings {@code emperor-broodlord}
     */
    public Brood(BroodlordSettings settings) {
        this.settings = settings;
    }

    /** What to do about a request for reinforcements. */
    public sealed interface Decision {
    }

    /**
     * Start a zerg.
     *
     * @param name the zerg's vassal name
     * @param configArgument what the vassal program reads: the lord's file and the {@code zerg} section
     * @param logLine the line to log, uWSGI's {@code going in broodlord mode: launching zergs for LORD}
     */
    public record Spawn(String name, String configArgument, String logLine) implements Decision {
    }

    /**
     * Do nothing.
     *
     * @param logLine a line to log, or null to say nothing (as uWSGI, which ignores the request silently)
     */
    public record Ignore(String logLine) implements Decision {
    }

    /**
     * A vassal asks for reinforcements (message 30). A zerg's request counts as its lord's.
     *
     * @param vassal the vassal that asked
     * @param nameTaken whether a vassal name is in use already
     * @return the zerg to start, or why not
     */
    public Decision sos(String vassal, Predicate<String> nameTaken) {
        String lord = lords.getOrDefault(vassal, vassal);
        if (!settings.enabled()) {
            return new Ignore(toldOff.add(lord) ? "vassal " + lord + " asks for reinforcements, but broodlord mode"
                    + " is off (--emperor-broodlord N)" : null);
        }
        if (lords.size() >= settings.limit()) {
            return new Ignore(null);
        }
        String name = lord + SUFFIX;
        for (int n = 2; nameTaken.test(name) || lords.containsKey(name); n++) {
            name = lord + SUFFIX + "#" + n;
        }
        lords.put(name, lord);
        return new Spawn(name, lord + SUFFIX, "going in broodlord mode: launching zergs for " + lord);
    }

    /** Forgets a vassal that is gone: a zerg no longer counts. */
    public void gone(String name) {
        lords.remove(name);
    }

    /** Returns whether {@code name} is one of this emperor's zergs. */
    public boolean isZerg(String name) {
        return lords.containsKey(name);
    }

    /** Returns a zerg's config argument ({@code LORD:zerg}), or {@code name} itself for any other vassal. */
    public String configArgument(String name) {
        String lord = lords.get(name);
        return lord == null ? name : lord + SUFFIX;
    }

    /** Returns the zergs of {@code lord}, in the order they started. */
    public List<String> zergsOf(String lord) {
        List<String> zergs = new ArrayList<>();
        lords.forEach((zerg, l) -> {
            if (l.equals(lord)) {
                zergs.add(zerg);
            }
        });
        return zergs;
    }

    /** Returns how many zergs run (or start, or stop). */
    public int count() {
        return lords.size();
    }

    /** Returns whether a vassal name is a zerg's ({@code LORD:zerg}, {@code LORD:zerg#N}), for the stats' {@code zerg}. */
    public static boolean isZergName(String name) {
        return ZERG_NAME.matcher(name).matches();
    }
}
