package dev.proxyline.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionLogAlertTest {

    @Test
    void oneErrorLinePerIntervalTheRestAtDebugAndTheNextErrorLineCountsThem() {
        Recorder log = new Recorder();
        AtomicLong now = new AtomicLong(1_000);
        RejectionLog alert = new RejectionLog(log, Duration.ofSeconds(10), now::get);

        alert.alert("a");
        alert.alert("b");
        alert.alert("c");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        alert.alert("d");

        assertThat(log.lines).containsExactly("ERROR a", "DEBUG b", "DEBUG c",
                "ERROR d (2 more since the last such line, logged at DEBUG)");
    }

    /** Keeps every line as "LEVEL message". */
    private static final class Recorder implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "recorder";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }
}
