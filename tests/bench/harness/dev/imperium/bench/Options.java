package dev.imperium.bench;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The harness's command line.
 *
 * @param runs measured wrk runs per side and load
 * @param duration seconds per measured wrk run
 * @param warmup seconds of the uncounted wrk run after each start
 * @param dropRuns repetitions of the emperor's drop-to-first-200 scenario
 * @param touchSeconds length of the wrk run in the touch-under-load scenario (the touch is at 3 s)
 * @param only which cases run (matched with {@code find()} against case ids)
 * @param out the Markdown report
 */
record Options(int runs, int duration, int warmup, int dropRuns, int touchSeconds, Pattern only, Path out,
               boolean quick) {
    static final String USAGE = """
            usage: tests/bench/run [--quick] [--runs N] [--duration S] [--only REGEX] [--out FILE]
              --quick          1 run x 2 s per case (and 2 drop runs): a smoke test, not figures to publish
              --runs N         measured runs per side and case (default 3); also drop runs = max(N, 5)
              --duration S     seconds per measured wrk run (default 5); a 2 s warm-up run precedes each side
              --only REGEX     run only the cases whose id matches, e.g. 'jwsgi|static' (ids: jwsgi-hello, jwsgi-logged,
                               hello-python, hello-route-run, static-uwsgi, static-nginx, router, router-keepalive,
                               json-python,
                               emperor-drop, emperor-drop-2w, emperor-50, emperor-touch, memory)
              --out FILE       the Markdown report (default tests/bench/results/latest.md)
            """;

    /** Parses the arguments; throws {@link IllegalArgumentException} with a message on a bad one. */
    static Options parse(String[] args) {
        Integer runs = null;
        Integer duration = null;
        boolean quick = false;
        Pattern only = Pattern.compile("");
        Path out = Path.of("tests/bench/results/latest.md");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = positive(a, value(args, ++i, a));
                case "--duration" -> duration = positive(a, value(args, ++i, a));
                case "--only" -> only = Pattern.compile(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        int r = runs != null ? runs : quick ? 1 : 3;
        int d = duration != null ? duration : quick ? 2 : 5;
        int warmup = quick ? 1 : 2;
        int drops = quick && runs == null ? 2 : Math.max(r, 5);
        return new Options(r, d, warmup, drops, quick ? 6 : 10, only, out, quick);
    }

    boolean selected(String caseId) {
        return only.matcher(caseId).find();
    }

    /** The options as given, for the report. */
    String describe() {
        return "runs " + runs + " × " + duration + " s per side and load (+ " + warmup
                + " s warm-up after each start), " + dropRuns + " drop runs"
                + (only.pattern().isEmpty() ? "" : ", only `" + only.pattern() + "`")
                + (quick ? " (--quick: a smoke test)" : "");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " needs a positive whole number, not " + value);
    }
}
