package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.http.HttpFields;
import dev.imperium.server.RequestHead;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RequestLogTest {
    @Test
    void formatsUwsgisDefaultLine() {
        RequestHead head = new RequestHead("GET", "/x?y=1", "/x", "y=1", "HTTP/1.1", new HttpFields(), -1, false,
                "127.0.0.1", 40000, "127.0.0.1", 8080, "http");
        long start = LocalDateTime.of(2026, 11, 3, 23, 28, 38).atZone(ZoneId.systemDefault()).toInstant()
                .toEpochMilli();
        String line = new RequestLog().format(new FinishedExchange(head, 200, 45, 3), 0, 1, 2, 24, 255, start, 3, 0);
        assertThat(line).matches("\\[pid: \\d+\\|app: 0\\|req: 1/2] 127\\.0\\.0\\.1 \\(\\) \\{24 vars in 255 bytes} "
                + "\\[Tue Nov  3 23:28:38 2026] GET /x\\?y=1 => generated 3 bytes in 3 msecs \\(HTTP/1\\.1 200\\) "
                + "1 headers in 45 bytes \\(1 switches on core 0\\)");
    }
}
