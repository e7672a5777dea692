package dev.imperium.logging;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * Sends each line as one datagram ({@code syslog:}, {@code rsyslog:}, {@code socket:} loggers, and {@code logto}
 * with a UDP address), framed by {@link SyslogFormat}.
 */
public final class DatagramTarget implements LogTarget {
    private final DatagramSender sender;
    private final SyslogFormat.Framing framing;
    private final ZoneId zone = ZoneId.systemDefault();

    /**
     * @param sender where the datagrams go
     * @param framing how each line is framed
     */
    public DatagramTarget(DatagramSender sender, SyslogFormat.Framing framing) {
        this.sender = sender;
        this.framing = framing;
    }

    @Override
    public void write(long pid, byte[] bytes, int offset, int length) {
        long now = System.currentTimeMillis();
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                send(pid, new String(bytes, start, i - start, StandardCharsets.UTF_8), now);
                start = i + 1;
            }
        }
        if (start < end) {
            send(pid, new String(bytes, start, end - start, StandardCharsets.UTF_8), now);
        }
    }

    /** Sends one line (without its line break). */
    public void send(long pid, String line, long epochMillis) {
        sender.send(SyslogFormat.frame(framing, line, epochMillis, zone, pid));
    }

    @Override
    public void close() {
        sender.close();
    }
}
