package dev.proxyline.server.accesslog;

import static dev.proxyline.server.variables.Sessions.NOW;
import static dev.proxyline.server.variables.Sessions.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.LogFormat;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Sessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogWriterTest {
    private static final LineFormat CONNECTION = LineFormat.compile(
            new LogFormat("c", LogFormat.Escape.DEFAULT, "conn=$connection"), table());

    @TempDir
    Path dir;

    private final FakeNanos clock = new FakeNanos();
    /** Without a thread: the test runs the writer's steps itself. */
    private final AccessLogWriter writer = new AccessLogWriter(4, clock, System.getLogger("test"), null);

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    private static SessionSnapshot session(long connection) {
        return SessionSnapshot.builder(connection, Sessions.BALANCER, Sessions.LOCAL).snapshot(NOW);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    @Test
    void unbufferedLogIsWrittenAfterEachBatch() throws IOException {
        Path file = dir.resolve("a.log");
        SessionLog log = writer.register(List.of(new LogTarget(file, CONNECTION, 0, Optional.empty())));
        assertThat(log.log(session(1))).isTrue();
        assertThat(log.log(session(2))).isTrue();
        assertThat(read(file)).isEmpty(); // nothing happens on the caller's thread
        writer.runOnce();
        assertThat(read(file)).isEqualTo("conn=1\nconn=2\n");
        assertThat(writer.written()).isEqualTo(2);
    }

    @Test
    void existingFileIsAppendedTo() throws IOException {
        Path file = dir.resolve("a.log");
        Files.writeString(file, "old\n");
        SessionLog log = writer.register(List.of(new LogTarget(file, CONNECTION, 0, Optional.empty())));
        log.log(session(1));
        writer.runOnce();
        assertThat(read(file)).isEqualTo("old\nconn=1\n");
    }

    @Test
    void bufferedLogWaitsUntilTheBufferIsFull() throws IOException {
        Path file = dir.resolve("b.log");
        // "conn=N\n" is 7 bytes: two lines fit in 16, the third forces a write of the first two.
        SessionLog log = writer.register(List.of(new LogTarget(file, CONNECTION, 16, Optional.empty())));
        log.log(session(1));
        log.log(session(2));
        writer.runOnce();
        assertThat(read(file)).isEmpty();
        log.log(session(3));
        writer.runOnce();
        assertThat(read(file)).isEqualTo("conn=1\nconn=2\n");
    }

    @Test
    void bufferedLogIsFlushedWhenTheFlushTimeOfItsFirstLinePasses() throws IOException {
        Path file = dir.resolve("c.log");
        SessionLog log = writer.register(List.of(new LogTarget(file, CONNECTION, 4096, Optional.of(Duration.ofSeconds(5)))));
        log.log(session(1));
        writer.runOnce();
        clock.advance(Duration.ofSeconds(3));
        log.log(session(2));
        writer.runOnce();
        assertThat(read(file)).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        writer.runOnce();
        assertThat(read(file)).isEqualTo("conn=1\nconn=2\n");
    }

    @Test
    void closeWritesWhatIsQueuedAndBuffered() throws IOException {
        Path file = dir.resolve("d.log");
        SessionLog log = writer.register(List.of(new LogTarget(file, CONNECTION, 4096, Optional.empty())));
        log.log(session(1));
        writer.runOnce();
        log.log(session(2));
        writer.close();
        assertThat(read(file)).isEqualTo("conn=1\nconn=2\n");
    }

    @Test
    void closeWritesMoreThanOneBatch() throws IOException {
        Path file = dir.resolve("big.log");
        AccessLogWriter large = new AccessLogWriter(10_000, clock, System.getLogger("test"), null);
        SessionLog log = large.register(List.of(new LogTarget(file, CONNECTION, 0, Optional.empty())));
        for (int i = 0; i < 10_000; i++) {
            log.log(session(i));
        }
        large.close();
        assertThat(read(file).lines()).hasSize(10_000);
    }

    @Test
    void fullQueueDropsAndCountsInsteadOfBlocking() throws IOException {
        SessionLog log = writer.register(List.of(new LogTarget(dir.resolve("e.log"), CONNECTION, 0, Optional.empty())));
        for (int i = 0; i < 4; i++) {
            assertThat(log.log(session(i))).isTrue();
        }
        assertThat(log.log(session(4))).isFalse();
        assertThat(writer.dropped()).isEqualTo(1);
    }

    @Test
    void sessionsLoggedAfterCloseAreDroppedAndCounted() throws IOException {
        SessionLog log = writer.register(List.of(new LogTarget(dir.resolve("f.log"), CONNECTION, 0, Optional.empty())));
        writer.close();
        assertThat(log.log(session(1))).isFalse();
        assertThat(writer.dropped()).isEqualTo(1);
    }

    @Test
    void oneSessionGoesToEveryLogOfItsServer() throws IOException {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        LineFormat json = LineFormat.compile(new LogFormat("j", LogFormat.Escape.JSON, "{\"c\":$connection}"), table());
        SessionLog log = writer.register(List.of(new LogTarget(a, CONNECTION, 0, Optional.empty()),
                new LogTarget(b, json, 0, Optional.empty())));
        log.log(session(9));
        writer.runOnce();
        assertThat(read(a)).isEqualTo("conn=9\n");
        assertThat(read(b)).isEqualTo("{\"c\":9}\n");
    }

    @Test
    void samePathIsOneFileAndMustKeepItsBufferSettings() throws IOException {
        Path file = dir.resolve("g.log");
        SessionLog first = writer.register(List.of(new LogTarget(file, CONNECTION, 0, Optional.empty())));
        SessionLog second = writer.register(List.of(new LogTarget(file, CONNECTION, 0, Optional.empty())));
        first.log(session(1));
        second.log(session(2));
        writer.runOnce();
        assertThat(read(file)).isEqualTo("conn=1\nconn=2\n");
        assertThatThrownBy(() -> writer.register(List.of(new LogTarget(file, CONNECTION, 1024, Optional.empty()))))
                .hasMessageContaining("already defined");
    }

    @Test
    void unopenableFileIsReportedWithItsPath() {
        Path file = dir.resolve("missing-dir").resolve("h.log");
        assertThatThrownBy(() -> writer.register(List.of(new LogTarget(file, CONNECTION, 0, Optional.empty()))))
                .isInstanceOf(IOException.class).hasMessageContaining("h.log");
    }

    @Test
    void reopenStartsANewFileAfterRotation() throws IOException {
        Path file = dir.resolve("r.log");
        SessionLog log = writer.register(List.of(new LogTarget(file, CONNECTION, 0, Optional.empty())));
        log.log(session(1));
        writer.runOnce();
        Files.move(file, dir.resolve("r.log.1"));
        writer.reopen();
        writer.runOnce();
        log.log(session(2));
        writer.runOnce();
        assertThat(read(dir.resolve("r.log.1"))).isEqualTo("conn=1\n");
        assertThat(read(file)).isEqualTo("conn=2\n");
    }

    @Test
    void offIsANoOp() {
        assertThat(SessionLog.off().isOff()).isTrue();
        assertThat(SessionLog.off().log(session(1))).isTrue();
    }

    @Test
    void linesFromManyThreadsAreNeverInterleaved() throws Exception {
        Path file = dir.resolve("m.log");
        AccessLogWriter threaded = AccessLogWriter.start(1 << 16, System::nanoTime, r -> new Thread(r, "test-access-log"));
        LineFormat wide = LineFormat.compile(new LogFormat("w", LogFormat.Escape.DEFAULT,
                "$connection $remote_addr $server_addr $server_port $time_iso8601 $connection"), table());
        SessionLog log = threaded.register(List.of(new LogTarget(file, wide, 1024, Optional.of(Duration.ofMillis(10)))));
        Thread[] loops = new Thread[4];
        for (int t = 0; t < loops.length; t++) {
            int base = t * 10_000;
            loops[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    log.log(session(base + i));
                }
            });
            loops[t].start();
        }
        for (Thread loop : loops) {
            loop.join();
        }
        threaded.close();
        List<String> lines = read(file).lines().toList();
        assertThat(lines).hasSize(8_000 - (int) threaded.dropped());
        assertThat(lines).allSatisfy(l -> {
            String[] fields = l.split(" ");
            assertThat(fields).hasSize(6);
            assertThat(fields[0]).isEqualTo(fields[5]);
        });
    }

    @Test
    void writerThreadWritesAndStopsOnClose() throws IOException {
        Path file = dir.resolve("t.log");
        AccessLogWriter threaded = AccessLogWriter.start(128, System::nanoTime, r -> new Thread(r, "test-access-log"));
        SessionLog log = threaded.register(List.of(new LogTarget(file, CONNECTION, 1 << 16, Optional.empty())));
        for (int i = 0; i < 100; i++) {
            log.log(session(i));
        }
        threaded.close();
        String text = read(file);
        assertThat(text.lines()).hasSize(100 - (int) threaded.dropped());
        assertThat(text).startsWith("conn=0\n");
    }
}
