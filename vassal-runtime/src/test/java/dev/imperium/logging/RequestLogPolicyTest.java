package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLogPolicyTest {
    @Test
    void everyRequestByDefaultButDonotlog() {
        assertThat(RequestLogPolicy.DEFAULT.shouldLog(false, 200, 10, 5, false)).isTrue();
        assertThat(RequestLogPolicy.DEFAULT.shouldLog(true, 500, 10, 5, false)).isFalse();
        assertThat(RequestLogPolicy.DEFAULT.never()).isFalse();
    }

    @Test
    void conditionsLogUnderDisableLogging() {
        RequestLogPolicy p = new RequestLogPolicy(false, false, 0, true, false, 0, false);
        assertThat(p.shouldLog(false, 404, 9, 1, false)).isTrue();
        assertThat(p.shouldLog(false, 499, 9, 1, false)).isTrue();
        assertThat(p.shouldLog(false, 500, 9, 1, false)).isFalse();
        assertThat(p.shouldLog(false, 200, 9, 1, false)).isFalse();
        assertThat(p.shouldLog(true, 404, 9, 1, false)).as("donotlog wins").isFalse();

        RequestLogPolicy fives = new RequestLogPolicy(false, false, 0, false, true, 0, false);
        assertThat(fives.shouldLog(false, 503, 0, 0, false)).isTrue();
        assertThat(fives.shouldLog(false, 404, 0, 0, false)).isFalse();

        RequestLogPolicy slow = new RequestLogPolicy(false, false, 100, false, false, 0, false);
        assertThat(slow.shouldLog(false, 200, 0, 99_999, false)).isFalse();
        assertThat(slow.shouldLog(false, 200, 0, 100_000, false)).as("at least log-slow ms").isTrue();

        RequestLogPolicy big = new RequestLogPolicy(false, false, 0, false, false, 1000, false);
        assertThat(big.shouldLog(false, 200, 999, 0, false)).isFalse();
        assertThat(big.shouldLog(false, 200, 1000, 0, false)).isTrue();

        RequestLogPolicy zero = new RequestLogPolicy(false, true, 0, false, false, 0, false);
        assertThat(zero.shouldLog(false, 204, 0, 0, false)).isTrue();
        assertThat(zero.shouldLog(false, 200, 1, 0, false)).isFalse();

        RequestLogPolicy io = new RequestLogPolicy(false, false, 0, false, false, 0, true);
        assertThat(io.shouldLog(false, 200, 1, 0, true)).isTrue();
        assertThat(io.shouldLog(false, 200, 1, 0, false)).isFalse();
        assertThat(new RequestLogPolicy(false, false, 0, false, false, 0, false).never()).isTrue();
    }
}
