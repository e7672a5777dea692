import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into a short Markdown report: the date of the run, the CPU model,
 * the core count and {@code java -version} of the JVM that ran the benchmarks, then one table row per benchmark
 * (score, error, unit and, when {@code -prof gc} was on, the bytes allocated per operation). JDK only.
 *
 * <pre>
 *   $JAVA_HOME/bin/java tests/bench/JmhReport.java IN.json OUT.md
 *   (tests/bench/jmh runs it on tests/bench/results/jmh-latest.json)
 * </pre>
 */
public class JmhReport {
    private static final String PACKAGE = "dev.imperium.bench.";

    /** Reads {@code args[0]} (JMH JSON) and writes {@code args[1]} (Markdown). */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java JmhReport.java IN.json OUT.md");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Object parsed = new Json(Files.readString(in, StandardCharsets.UTF_8)).parseDocument();
        if (!(parsed instanceof List<?> runs) || runs.isEmpty()) {
            throw new IllegalArgumentException(in + " holds no benchmark results");
        }
        StringBuilder md = new StringBuilder();
        md.append("# JMH micro-benchmarks: latest run\n\n");
        Map<?, ?> first = (Map<?, ?>) runs.get(0);
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                .format(Files.getLastModifiedTime(in).toInstant().atOffset(ZoneOffset.UTC));
        md.append("- Date: ").append(date).append('\n');
        md.append("- CPU: ").append(cpuModel()).append(", ").append(cpuCount()).append(" logical CPUs")
                .append(" (load average at the end: ").append(loadAverage()).append(")\n");
        Set<String> settings = new LinkedHashSet<>();
        for (Object run : runs) {
            Map<?, ?> r = (Map<?, ?>) run;
            settings.add("forks " + text(r.get("forks")) + ", warm-up " + text(r.get("warmupIterations")) + " x "
                    + r.get("warmupTime") + ", measurement " + text(r.get("measurementIterations")) + " x "
                    + r.get("measurementTime") + ", threads " + text(r.get("threads")));
        }
        md.append("- Settings: ").append(String.join("; ", settings));
        Object jvmArgs = first.get("jvmArgs");
        if (jvmArgs instanceof List<?> list && !list.isEmpty()) {
            md.append("; JVM options ").append(list);
        }
        md.append("\n- JMH ").append(first.get("jmhVersion")).append(", `java -version`:\n\n```\n")
                .append(javaVersion(String.valueOf(first.get("jvm")))).append("```\n\n");

        md.append("| Benchmark | Score | Error | Unit | Alloc (B/op) |\n");
        md.append("|---|---:|---:|---|---:|\n");
        for (Object run : runs) {
            Map<?, ?> r = (Map<?, ?>) run;
            Map<?, ?> primary = (Map<?, ?>) r.get("primaryMetric");
            double score = number(primary.get("score"));
            double error = number(primary.get("scoreError"));
            md.append("| ").append(name(r))
                    .append(" | ").append(format(score))
                    .append(" | ").append(Double.isNaN(error) ? "n/a" : "± " + format(error))
                    .append(" | ").append(primary.get("scoreUnit"))
                    .append(" | ").append(allocation(r))
                    .append(" |\n");
        }
        md.append("\nops/s: higher is better; us/op: lower is better. Error: the 99.9% confidence half-interval (n/a"
                + " with fewer than 3 measurement iterations). Alloc: `gc.alloc.rate.norm` from `-prof gc`.\n");
        Files.writeString(Path.of(args[1]), md, StandardCharsets.UTF_8);
    }

    /** The benchmark's name without the package, with its parameters if any. */
    private static String name(Map<?, ?> run) {
        String name = String.valueOf(run.get("benchmark"));
        if (name.startsWith(PACKAGE)) {
            name = name.substring(PACKAGE.length());
        }
        if (run.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            params.forEach((k, v) -> pairs.add(k + "=" + v));
            name += " (" + String.join(", ", pairs) + ")";
        }
        return name;
    }

    private static String allocation(Map<?, ?> run) {
        if (!(run.get("secondaryMetrics") instanceof Map<?, ?> secondary)) {
            return "-";
        }
        // JMH before 1.36 named it with a leading middle dot
        Object metric = secondary.containsKey("gc.alloc.rate.norm") ? secondary.get("gc.alloc.rate.norm")
                : secondary.get("\u00b7gc.alloc.rate.norm");
        if (!(metric instanceof Map<?, ?> m)) {
            return "-";
        }
        double bytes = number(m.get("score"));
        return bytes >= 10 ? String.format(Locale.ROOT, "%,.0f", bytes) : String.format(Locale.ROOT, "%.1f", bytes);
    }

    private static String format(double value) {
        double abs = Math.abs(value);
        String pattern = abs >= 1000 ? "%,.0f" : abs >= 100 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A JSON value as text; whole numbers without a fraction. */
    private static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String cpuModel() {
        for (String line : procLines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "unknown CPU";
    }

    private static int cpuCount() {
        int n = 0;
        for (String line : procLines("/proc/cpuinfo")) {
            if (line.startsWith("processor")) {
                n++;
            }
        }
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    private static String loadAverage() {
        List<String> lines = procLines("/proc/loadavg");
        if (lines.isEmpty()) {
            return "unknown";
        }
        String[] parts = lines.get(0).split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : lines.get(0);
    }

    private static List<String> procLines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Runs {@code java -version} of the given JVM (falling back to this one) and returns what it prints. */
    private static String javaVersion(String jvm) throws IOException, InterruptedException {
        Path java = Path.of(jvm);
        if (!Files.isExecutable(java)) {
            java = Path.of(System.getProperty("java.home"), "bin", "java");
        }
        Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroy();
        }
        return out.endsWith("\n") ? out : out + "\n";
    }

    /** A small reader for the JSON JMH writes: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parseDocument() {
            Object value = value();
            skipSpace();
            if (i != s.length()) {
                throw error("trailing text");
            }
            return value;
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            skipSpace();
            if (peek() == '}') {
                i++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            skipSpace();
            if (peek() == ']') {
                i++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            }
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected character '" + s.charAt(i) + "'");
            }
            return Double.valueOf(s.substring(start, i));
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
            return value;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }
    }
}
