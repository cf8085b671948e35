package dev.proxyline.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.netty.testing.RecordingLogger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RejectionLogTest {

    @Test
    void oneInfoLinePerIntervalTheRestAtDebugAndTheNextInfoSaysHowManyWereQuiet() {
        RecordingLogger logger = new RecordingLogger();
        long[] now = {1_000};
        RejectionLog log = new RejectionLog(logger, Duration.ofSeconds(10), () -> now[0]);

        log.refused("a");
        log.refused("b");
        log.refused("c");
        now[0] += Duration.ofSeconds(10).toNanos();
        log.refused("d");

        assertThat(logger.lines).containsExactly("INFO a", "DEBUG b", "DEBUG c",
                "INFO d (2 more refused since the last such line, logged at DEBUG)");
    }

    @Test
    void internalErrorsShareTheLimitAndOnlyTheLoudLineCarriesTheTrace() {
        RecordingLogger logger = new RecordingLogger();
        RejectionLog log = new RejectionLog(logger, Duration.ofSeconds(10), () -> 0L);

        log.internalError("x", new IllegalStateException("boom"));
        log.internalError("y", new IllegalStateException("boom"));

        assertThat(logger.lines).containsExactly("WARNING x !thrown", "DEBUG y: java.lang.IllegalStateException: boom");
    }
}
