package dev.imperium.config;

import java.util.ArrayList;
import java.util.List;

/** "Did you mean" for unknown keys: the option name (or alias) at the smallest edit distance, if close enough. */
public final class Suggestions {
    private static final List<String> NAMES = names();

    private Suggestions() {
    }

    /** Returns {@code " (did you mean 'x'?)"}, or empty when no option name is close. */
    static String didYouMean(String key) {
        String best = closest(key, NAMES);
        return best != null ? " (did you mean '" + best + "'?)" : "";
    }

    /**
     * Returns the candidate closest to {@code key} within the edit distance "did you mean" allows (1 for keys of up to
     * 4 characters, 2 up to 10, else 3), or null when none is that close or {@code key} is one of them.
     */
    public static String closest(String key, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = key.length() <= 4 ? 1 : key.length() <= 10 ? 2 : 3;
        for (String name : candidates) {
            if (name.equals(key)) {
                return null;
            }
            if (Math.abs(name.length() - key.length()) > limit) {
                continue;
            }
            int distance = distance(key, name, limit);
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= limit ? best : null;
    }

    /** Levenshtein distance, giving up (returning limit + 1) once it exceeds {@code limit}. */
    static int distance(String a, String b, int limit) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Option option : OptionTable.all()) {
            names.add(option.name());
            option.aliases().stream().filter(a -> a.length() > 1).forEach(names::add);
        }
        return List.copyOf(names);
    }
}
