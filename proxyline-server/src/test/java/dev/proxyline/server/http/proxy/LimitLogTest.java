package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ErrorLog;
import org.junit.jupiter.api.Test;

/** The parts of limit_req's log lines that follow nginx's formats. */
class LimitLogTest {
    @Test
    void anExcessIsPrintedInRequestsWithThreeDecimalsAsNginxPrintsIt() {
        assertThat(LimitLog.thousandths(0)).isEqualTo("0.000");
        assertThat(LimitLog.thousandths(7)).isEqualTo("0.007");
        assertThat(LimitLog.thousandths(1005)).isEqualTo("1.005");
        assertThat(LimitLog.thousandths(2040)).isEqualTo("2.040");
        assertThat(LimitLog.thousandths(12_345)).isEqualTo("12.345");
    }

    @Test
    void delaysAreLoggedOneLevelBelowRejectionsAndInfoStaysInfo() {
        assertThat(LimitLog.delayLevel(ErrorLog.Level.ERROR)).isEqualTo(ErrorLog.Level.WARN);
        assertThat(LimitLog.delayLevel(ErrorLog.Level.WARN)).isEqualTo(ErrorLog.Level.NOTICE);
        assertThat(LimitLog.delayLevel(ErrorLog.Level.NOTICE)).isEqualTo(ErrorLog.Level.INFO);
        assertThat(LimitLog.delayLevel(ErrorLog.Level.INFO)).isEqualTo(ErrorLog.Level.INFO);
    }
}
