package dev.imperium.zerg;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;
import dev.imperium.vassal.ListenSocket;
import dev.imperium.vassal.SocketProtocol;
import dev.imperium.vassal.SocketSpec;
import dev.imperium.vassal.VassalConfigSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sockets a zerg took from its zerg servers ({@code zerg = ADDR}; uWSGI 2.0 {@code core/uwsgi.c
 * uwsgi_zerg_attach}, {@code core/setup_utils.c uwsgi_setup_zerg}): the vassal connects to each server once, at
 * start, receives its listening sockets, and serves them instead of binding: they come first in its socket list, as
 * if the vassal file declared them ({@code http-socket = ADDR} for an HTTP one...), before the file's own sockets.
 * They stay the same across the vassal's reloads; a change of the {@code zerg} options applies when it restarts.
 *
 * @param sockets the sockets received, in order, ready for the master (no UNIX file of their own: the lord's file is
 *     never removed by the zerg)
 * @param nodes the zerg servers they came from, for the config entries' origin
 */
public record ZergAttachment(List<ListenSocket> sockets, List<String> nodes) {
    /** No zerg: the vassal binds its sockets. */
    public static final ZergAttachment NONE = new ZergAttachment(List.of(), List.of());

    /** Copies the lists. */
    public ZergAttachment {
        sockets = List.copyOf(sockets);
        nodes = List.copyOf(nodes);
    }

    /**
     * Connects to each zerg server of {@code settings} and receives its sockets, logging uWSGI's lines
     * ({@code uwsgi zerg socket N attached to INET address ADDR fd N}, {@code zerg sockets attached}).
     *
     * @param settings the vassal's zerg options
     * @param log where the lines go
     * @return the sockets, or {@link #NONE} when the vassal is no zerg (or with {@code zerg-fallback}, none could be
     *     reached)
     * @throws IOException {@code unable to connect to zerg server ADDR} or {@code invalid data received from
     *     zerg-server} (the vassal cannot start), unless {@code zerg-fallback} is set
     */
    public static ZergAttachment attach(ZergSettings settings, Consumer<String> log) throws IOException {
        if (!settings.isZerg()) {
            return NONE;
        }
        List<ListenSocket> sockets = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        for (String node : settings.zergNodes()) {
            try {
                for (ListenSocket s : receive(node)) {
                    sockets.add(s);
                    nodes.add(node);
                }
            } catch (IOException e) {
                log.accept("--- " + e.getMessage() + " ---");
                if (!settings.zergFallback()) {
                    sockets.forEach(ListenSocket::close);
                    throw e;
                }
            }
        }
        for (int i = 0; i < sockets.size(); i++) {
            ListenSocket s = sockets.get(i);
            log.accept("uwsgi zerg socket " + i + " attached to " + familyWord(s) + " address " + s.address() + " fd "
                    + s.fd());
        }
        if (!sockets.isEmpty()) {
            log.accept("zerg sockets attached");
        }
        return new ZergAttachment(sockets, nodes);
    }

    /** Receives one zerg server's sockets. */
    private static List<ListenSocket> receive(String node) throws IOException {
        int fd = UnixStreams.connect(node);
        if (fd < 0) {
            throw new IOException("unable to connect to zerg server " + node);
        }
        FdPassing.Message message;
        try {
            message = FdPassing.receive(fd, FdPassing.MAX_FDS, ZergWire.MAX_DATA);
        } catch (SocketFds.SocketError e) {
            throw new IOException("invalid data received from zerg-server " + node + ": " + e.getMessage(), e);
        } finally {
            Posix.close(fd);
        }
        List<ListenSocket> result = new ArrayList<>();
        try {
            ZergWire.Header header = ZergWire.decode(message.data());
            if (header.count() != message.fds().length || message.fds().length == 0) {
                throw new IllegalArgumentException("invalid data received from zerg-server");
            }
            for (int i = 0; i < message.fds().length; i++) {
                int socket = message.fds()[i];
                String address = SocketAddressText.of(SocketFds.localAddressBytes(socket));
                SocketProtocol protocol = header.protocols().isEmpty() ? SocketProtocol.UWSGI
                        : SocketProtocol.fromWireName(header.protocols().get(i));
                result.add(new ListenSocket(SocketSpec.parse(address, protocol), socket, address, null));
            }
            return result;
        } catch (IllegalArgumentException | SocketFds.SocketError e) {
            for (int socket : message.fds()) {
                Posix.close(socket);
            }
            throw new IOException(e.getMessage() + " (" + node + ")", e);
        }
    }

    private static String familyWord(ListenSocket s) {
        if (s.spec().isUnix()) {
            return "UNIX";
        }
        return s.address().startsWith("[") ? "INET6" : "INET";
    }

    /** Returns whether there is no socket. */
    public boolean isEmpty() {
        return sockets.isEmpty();
    }

    /**
     * Returns {@code config} with one socket entry per attached socket in front of its own ({@code http-socket =
     * ADDR} for an HTTP socket, {@code socket = ADDR} for uwsgi...), so that the vassal's settings, its workers and
     * its stats see the sockets it serves; the master uses the attached descriptors for them instead of binding.
     */
    public VassalConfig inject(VassalConfig config) {
        if (sockets.isEmpty()) {
            return config;
        }
        List<ConfigEntry> entries = new ArrayList<>(sockets.size() + config.entries().size());
        for (int i = 0; i < sockets.size(); i++) {
            ListenSocket s = sockets.get(i);
            entries.add(new ConfigEntry(s.spec().protocol().options()[0], s.address(),
                    new Origin(Path.of(nodes.get(i)), 0)));
        }
        entries.addAll(config.entries());
        return new VassalConfig(config.file(), entries, config.diagnostics());
    }

    /** Returns a config source that {@linkplain #inject injects} the sockets into every reading of the file. */
    public VassalConfigSource wrap(VassalConfigSource source) {
        if (sockets.isEmpty()) {
            return source;
        }
        return (spec, reloads) -> inject(source.load(spec, reloads));
    }
}
