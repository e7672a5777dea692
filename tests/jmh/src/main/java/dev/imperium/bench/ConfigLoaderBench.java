package dev.imperium.bench;

import dev.imperium.config.ConfigException;
import dev.imperium.config.ConfigLoader;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.VassalConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ConfigLoader}: one operation loads one vassal file from disk (page cache) into a {@link VassalConfig}:
 * reading, magic variables, includes, placeholder expansion and validation, as at every vassal start and reload.
 * The files are written to a temporary directory at setup. Unit: microseconds per load (us/op); with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConfigLoaderBench {
    /** config-samples/vassals/hello.ini, as shipped. */
    static final String HELLO_INI = """
            ; The hello-jwsgi sample app: runs unchanged under Imperium and under real uWSGI.
            ;
            ;   ./mvnw -DskipTests package                      (builds ../apps/hello-jwsgi/target/hello-jwsgi.jar)
            ;   cli/target/imperium/bin/vassal config-samples/vassals/hello.ini
            ;   uwsgi --ini config-samples/vassals/hello.ini    (needs uwsgi-plugin-jwsgi-openjdk-17)
            ;   curl http://127.0.0.1:8090/  ->  Hello from JWSGI
            ;
            ; %d is the directory of this file. uWSGI's JVM needs its own uwsgi.jar on the class path (class "uwsgi");
            ; Imperium does not, and loading it there is harmless. The class is written with slashes: uWSGI's JNI lookup
            ; accepts no other form (Imperium accepts both). Do not add need-app: uWSGI's JVM plugin registers no "app",
            ; so uWSGI would exit with "no app loaded. GAME OVER".
            [uwsgi]
            plugins = jvm,jwsgi
            http-socket = 127.0.0.1:8090
            http-socket-modifier1 = 8
            master = true
            processes = 2
            jvm-classpath = /usr/share/java/uwsgi.jar
            jvm-classpath = %d../apps/hello-jwsgi/target/hello-jwsgi.jar
            jwsgi = dev/imperium/samples/hello/HelloApp
            """;

    /** The same vassal in YAML, with the same comments. */
    static final String HELLO_YAML = """
            # The hello-jwsgi sample app: runs unchanged under Imperium and under real uWSGI.
            #
            #   ./mvnw -DskipTests package                      (builds ../apps/hello-jwsgi/target/hello-jwsgi.jar)
            #   cli/target/imperium/bin/vassal config-samples/vassals/hello.yaml
            #   uwsgi --yaml config-samples/vassals/hello.yaml  (needs uwsgi-plugin-jwsgi-openjdk-17)
            #   curl http://127.0.0.1:8090/  ->  Hello from JWSGI
            #
            # %d is the directory of this file. uWSGI's JVM needs its own uwsgi.jar on the class path (class "uwsgi");
            # Imperium does not, and loading it there is harmless. The class is written with slashes: uWSGI's JNI lookup
            # accepts no other form (Imperium accepts both). Do not add need-app: uWSGI's JVM plugin registers no "app",
            # so uWSGI would exit with "no app loaded. GAME OVER".
            uwsgi:
              plugins: jvm,jwsgi
              http-socket: 127.0.0.1:8090
              http-socket-modifier1: 8
              master: true
              processes: 2
              jvm-classpath:
                - /usr/share/java/uwsgi.jar
                - "%d../apps/hello-jwsgi/target/hello-jwsgi.jar"
              jwsgi: dev/imperium/samples/hello/HelloApp
            """;

    /** An ini file with an include, placeholders (one with math), magic variables and an environment variable. */
    static final String PLACEHOLDERS_INI = """
            [uwsgi]
            ini = common.ini
            base = /srv/apps
            appname = %n
            chdir = %(base)/%(appname)
            port = 8090
            http-socket = 127.0.0.1:%(port)
            nworkers = 4
            processes = %(nworkers)
            threads = %(nworkers + 4)
            jvm-classpath = %(chdir)/lib/app.jar
            jvm-classpath = %dlib/extra.jar
            jwsgi = com.example.App
            env = APP_ENV=$(APP_ENV)
            env = APP_HOME=%(chdir)
            logto = /var/log/imperium/%n-%(port).log
            pidfile = /run/imperium/%n.pid
            """;

    /** What {@link #PLACEHOLDERS_INI} includes. */
    static final String COMMON_INI = """
            [uwsgi]
            master = true
            vacuum = true
            listen = 128
            buffer-size = 8192
            """;

    private Path dir;
    private ConfigLoader loader;

    /** Writes the files and checks that each loads to what it should. */
    @Setup
    public void setUp() throws IOException, ConfigException {
        dir = Files.createTempDirectory("imperium-jmh-config");
        Files.writeString(dir.resolve("hello.ini"), HELLO_INI);
        Files.writeString(dir.resolve("hello.yaml"), HELLO_YAML);
        Files.writeString(dir.resolve("app.ini"), PLACEHOLDERS_INI);
        Files.writeString(dir.resolve("common.ini"), COMMON_INI);
        loader = new ConfigLoader(new LoaderOptions(Map.of("APP_ENV", "production"), false, dir));
        for (VassalConfig hello : new VassalConfig[] {helloIni(), helloYaml()}) {
            check(hello.values("jvm-classpath").size() == 2 && hello.string("jwsgi", "").endsWith("HelloApp"), hello);
        }
        VassalConfig app = placeholdersAndInclude();
        check(app.string("chdir", "").equals("/srv/apps/app") && app.string("threads", "").equals("8")
                && app.values("env").contains("APP_ENV=production") && app.string("listen", "").equals("128"), app);
    }

    private static void check(boolean ok, VassalConfig config) {
        if (!ok || !config.diagnostics().isEmpty()) {
            throw new IllegalStateException("unexpected result for " + config.file() + ": " + config.entries()
                    + " " + config.diagnostics());
        }
    }

    /** Deletes the temporary directory. */
    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** config-samples/vassals/hello.ini: 8 options, 11 comment lines, one {@code %d}. */
    @Benchmark
    public VassalConfig helloIni() throws ConfigException {
        return loader.load("hello.ini");
    }

    /** The same vassal written in YAML (parsed with Jackson's YAML reader). */
    @Benchmark
    public VassalConfig helloYaml() throws ConfigException {
        return loader.load("hello.yaml");
    }

    /** An ini file with 17 lines of placeholders, {@code %()} math, magic variables and one included ini. */
    @Benchmark
    public VassalConfig placeholdersAndInclude() throws ConfigException {
        return loader.load("app.ini");
    }
}
