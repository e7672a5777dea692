package dev.imperium.emperor;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.control.FrameDecoder;
import dev.imperium.os.Posix;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in vassal for the emperor's tests: speaks the vassal side of the control contract (HELLO, SPAWNED,
 * ACCEPTING, RELOAD_FAILED, FATAL, LOYAL; obeys RELOAD, STOP_GRACEFUL, STOP) and misbehaves on request.
 *
 * <p>Run as {@code java -cp <test classpath> dev.imperium.emperor.FakeVassal <file>} in the vassal directory.
 * The file holds {@code key = value} lines, re-read at each RELOAD:
 * <ul>
 *   <li>{@code mode}: {@code ok} (default), {@code crash-at-start} (FATAL, then exit with {@code exit-code},
 *       default 3), {@code crash-later} (exit with {@code exit-code} {@code crash-after-ms} after ACCEPTING),
 *       {@code ignore-stop} (ignores STOP_GRACEFUL and STOP), {@code never-ready} (never sends ACCEPTING);</li>
 *   <li>{@code reload}: {@code ok} (ACCEPTING with the next generation) or {@code fail} (RELOAD_FAILED);</li>
 *   <li>{@code child = true}: starts {@code sleep 600} in its process group and prints its pid;</li>
 *   <li>{@code start-delay-ms}: wait before ACCEPTING; {@code loyal = true}: send LOYAL after ACCEPTING;</li>
 *   <li>{@code report = FILE}: after each ACCEPTING, send FILE's content as a STATS_REPORT;</li>
 *   <li>{@code heartbeat-ms = N}: send a HEARTBEAT every N ms after ACCEPTING, {@code heartbeats = K} times at most
 *       (then it goes silent but keeps running, as a hung vassal);</li>
 *   <li>{@code sos-ms = N}: send BROODLORD_SOS every N ms after ACCEPTING, {@code sos = K} times (default 1); a
 *       zerg ({@code FILE:zerg}, which reads FILE too) does not; {@code zerg-leave-ms = N}: a zerg sends
 *       VOLUNTARY_SHUTDOWN N ms after ACCEPTING.</li>
 * </ul>
 * The file is its only argument, or the one after {@code --ini}/{@code --yaml}/{@code --json}/{@code --xml} when the
 * emperor adds extra config (vassals-include...); it prints its arguments.
 * Like the real vassal it sets {@code PR_SET_PDEATHSIG=SIGKILL}, calls {@code setsid()}, and exits when its
 * control connection drops. It prints what it does to stdout, prefixed {@code fake-vassal <file>}.
 */
public final class FakeVassal {
    private final String name;
    private final long pid = ProcessHandle.current().pid();
    private SocketChannel channel;
    private int generation;

    private FakeVassal(String name) {
        this.name = name;
    }

    public static void main(String[] args) throws Exception {
        Posix.setParentDeathSignal(Posix.SIGKILL);
        String emperorPid = System.getenv(EmperorMessage.ENV_EMPEROR_PID);
        if (emperorPid == null || Posix.getppid() != Long.parseLong(emperorPid)) {
            System.out.println("fake-vassal: my emperor is gone (ppid " + Posix.getppid() + ")");
            System.exit(1);
        }
        Posix.setsid();
        String file = args[0];
        for (int i = 0; i + 1 < args.length; i++) {
            if (java.util.Set.of("--ini", "--yaml", "--json", "--xml").contains(args[i])) {
                file = args[i + 1];
            }
        }
        System.out.println("fake-vassal " + file + " args " + String.join(" ", args));
        new FakeVassal(file).run();
    }

    private void say(String text) {
        System.out.println("fake-vassal " + name + " " + text);
        System.out.flush();
    }

    private Map<String, String> config() throws IOException {
        Map<String, String> c = new HashMap<>();
        String file = name.endsWith(":zerg") ? name.substring(0, name.length() - 5) : name;
        for (String line : Files.readAllLines(Path.of(file))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                c.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return c;
    }

    private synchronized void send(int type, String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Frame.of(type, text).encode());
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private void run() throws Exception {
        Map<String, String> config = config();
        String mode = config.getOrDefault("mode", "ok");
        say("pid " + pid + " started in " + Path.of("").toAbsolutePath() + " vassals-dir "
                + System.getenv("IMPERIUM_VASSALS_DIR"));
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(System.getenv(EmperorMessage.ENV_SOCKET)));
        send(EmperorMessage.HELLO, System.getenv(EmperorMessage.ENV_TOKEN) + " " + pid);
        if (mode.equals("crash-at-start")) {
            send(EmperorMessage.FATAL, "cannot load app: boom");
            say("crashing at start");
            System.exit(Integer.parseInt(config.getOrDefault("exit-code", "3")));
        }
        send(EmperorMessage.SPAWNED, "");
        if (Boolean.parseBoolean(config.getOrDefault("child", "false"))) {
            Process child = new ProcessBuilder("sleep", "600").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            say("child pid " + child.pid());
        }
        long delay = Long.parseLong(config.getOrDefault("start-delay-ms", "0"));
        if (delay > 0) {
            Thread.sleep(delay);
        }
        if (!mode.equals("never-ready")) {
            accept(config);
        }
        long heartbeatMs = Long.parseLong(config.getOrDefault("heartbeat-ms", "0"));
        if (heartbeatMs > 0) {
            long count = Long.parseLong(config.getOrDefault("heartbeats", Long.toString(Long.MAX_VALUE)));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (long i = 0; i < count; i++) {
                        send(EmperorMessage.HEARTBEAT, "");
                        Thread.sleep(heartbeatMs);
                    }
                    say("no more heartbeats");
                } catch (InterruptedException | IOException e) {
                    // the vassal is going away
                }
            });
        }
        boolean zerg = name.endsWith(":zerg");
        long sosMs = Long.parseLong(config.getOrDefault(zerg ? "zerg-leave-ms" : "sos-ms", "0"));
        if (sosMs > 0) {
            long count = zerg ? 1 : Long.parseLong(config.getOrDefault("sos", "1"));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (long i = 0; i < count; i++) {
                        Thread.sleep(sosMs);
                        send(zerg ? EmperorMessage.VOLUNTARY_SHUTDOWN : EmperorMessage.BROODLORD_SOS, "");
                        say(zerg ? "asks to leave" : "asks for reinforcements");
                    }
                } catch (InterruptedException | IOException e) {
                    // the vassal is going away
                }
            });
        }
        if (mode.equals("crash-later")) {
            long after = Long.parseLong(config.getOrDefault("crash-after-ms", "500"));
            int code = Integer.parseInt(config.getOrDefault("exit-code", "4"));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(after);
                } catch (InterruptedException e) {
                    return;
                }
                say("crashing later");
                Runtime.getRuntime().halt(code);
            });
        }
        readLoop(mode.equals("ignore-stop"));
    }

    private void accept(Map<String, String> config) throws IOException {
        generation++;
        send(EmperorMessage.ACCEPTING, Integer.toString(generation));
        say("generation " + generation + " accepting");
        if (Boolean.parseBoolean(config.getOrDefault("loyal", "false"))) {
            send(EmperorMessage.LOYAL, "");
        }
        String report = config.get("report");
        if (report != null) {
            send(EmperorMessage.STATS_REPORT, Files.readString(Path.of(report)));
            say("reported stats");
        }
    }

    private void readLoop(boolean ignoreStop) throws IOException {
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer buf = ByteBuffer.allocate(1024);
        while (channel.read(buf.clear()) > 0) {
            for (Frame f : decoder.feed(buf.array(), 0, buf.position())) {
                switch (f.type()) {
                    case EmperorMessage.RELOAD -> {
                        Map<String, String> config = config();
                        if (config.getOrDefault("reload", "ok").equals("fail")) {
                            say("refusing reload");
                            send(EmperorMessage.RELOAD_FAILED, "config error: reload = fail in " + name);
                        } else {
                            accept(config);
                        }
                    }
                    case EmperorMessage.STOP_GRACEFUL, EmperorMessage.STOP -> {
                        if (ignoreStop) {
                            say("ignoring stop");
                        } else {
                            say("stopping gracefully");
                            System.exit(0);
                        }
                    }
                    default -> say("unexpected frame " + f.type());
                }
            }
        }
        say("lost my emperor");
        System.exit(1);
    }
}
