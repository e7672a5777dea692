package dev.imperium.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians, ranges and the number formats of the report. */
final class Stats {
    private Stats() {
    }

    static double median(List<Double> values) {
        List<Double> s = sorted(values);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The index (into {@code values}) of the median element; the lower middle one for an even count. */
    static int medianIndex(List<Double> values) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> Double.compare(values.get(a), values.get(b)));
        return idx.get((values.size() - 1) / 2);
    }

    static double min(List<Double> values) {
        return Collections.min(values);
    }

    static double max(List<Double> values) {
        return Collections.max(values);
    }

    static List<Double> sorted(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }

    /** "46123 (44012..47211)" or just "46123" for one value; {@code decimals} digits after the point. */
    static String medianRange(List<Double> values, int decimals) {
        String m = num(median(values), decimals);
        return values.size() == 1 ? m : m + " (" + num(min(values), decimals) + ".." + num(max(values), decimals) + ")";
    }

    static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A latency in ms with sensible precision: 0.052, 1.23, 20.4, 1043. */
    static String ms(double v) {
        if (v < 1) {
            return num(v, 3);
        }
        if (v < 10) {
            return num(v, 2);
        }
        if (v < 100) {
            return num(v, 1);
        }
        return num(v, 0);
    }

    /** A ratio such as "1.62×". */
    static String ratio(double v) {
        return Double.isFinite(v) ? num(v, 2) + "×" : "–";
    }

    static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
