package dev.proxyline.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.AccessLog;
import dev.proxyline.config.LogFormat;
import dev.proxyline.server.variables.Exchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogsTest {
    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();
    private final AccessLogWriter writer = new AccessLogWriter(4, new FakeNanos(), System.getLogger("test"), null);

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    private AccessLogs httpLogs(LogFormat... extra) {
        Map<String, LogFormat> formats = new LinkedHashMap<>();
        formats.put(LogFormat.COMBINED.name(), LogFormat.COMBINED);
        for (LogFormat format : extra) {
            formats.put(format.name(), format);
        }
        return AccessLogs.compile(formats, Exchanges.table(), dir, problems);
    }

    private static AccessLog.ToFile file(String path, String format) {
        return new AccessLog.ToFile(path, format, 0, Optional.empty());
    }

    @Test
    void aFormatWithAnUnknownVariableIsAProblemAndTheOthersStillCompile() {
        AccessLogs logs = httpLogs(new LogFormat("bad", LogFormat.Escape.DEFAULT, "$nope"));
        assertThat(problems).containsExactly("log_format \"bad\": unknown variable \"$nope\" in \"$nope\"");
        assertThat(logs.targets(List.of(file("a.log", "combined")), "", problems)).hasSize(1);
    }

    @Test
    void relativePathsResolveAgainstThePrefixWithTheirBufferSettings() {
        List<LogTarget> targets = httpLogs().targets(List.of(file("logs/a.log", "combined"),
                new AccessLog.ToFile("/var/log/b.log", "combined", 4096, Optional.of(Duration.ofSeconds(5)))), "", problems);
        assertThat(problems).isEmpty();
        assertThat(targets).extracting(LogTarget::path).containsExactly(dir.resolve("logs/a.log"), Path.of("/var/log/b.log"));
        assertThat(targets.get(1).bufferSize()).isEqualTo(4096);
        assertThat(targets.get(1).flush()).contains(Duration.ofSeconds(5));
        assertThat(targets.get(0).format().name()).isEqualTo("combined");
    }

    @Test
    void offCancelsTheOtherLogsOfItsLevel() {
        assertThat(httpLogs().targets(List.of(file("a.log", "combined"), new AccessLog.Off()), "", problems)).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void syslogAndVariablesInThePathAreProblemsNamingWhere() throws IOException {
        SessionLog log = httpLogs().register(writer, List.of(file("syslog:server=127.0.0.1", "combined"),
                file("/tmp/$host.log", "combined")), "site.conf:3:5: ", problems);
        assertThat(log.isOff()).isTrue();
        assertThat(problems).containsExactly(
                "site.conf:3:5: access_log \"syslog:server=127.0.0.1\": syslog is not supported",
                "site.conf:3:5: access_log \"/tmp/$host.log\": variables in the path are not supported");
    }

    @Test
    void conflictingBufferSettingsForOnePathAreAProblem() throws IOException {
        AccessLogs logs = httpLogs();
        logs.register(writer, List.of(file("a.log", "combined")), "", problems);
        SessionLog second = logs.register(writer, List.of(new AccessLog.ToFile("a.log", "combined", 1024,
                Optional.empty())), "site.conf:9:9: ", problems);
        assertThat(second.isOff()).isTrue();
        assertThat(problems).singleElement().asString().startsWith("site.conf:9:9: access_log \"")
                .contains("other buffer= or flush=");
    }

    @Test
    void aLocationLogWritesTheCombinedLineOfARequestToItsFile() throws IOException {
        AccessLogs logs = httpLogs(new LogFormat("json", LogFormat.Escape.JSON, "{\"uri\":\"$request_uri\"}"));
        SessionLog log = logs.register(writer, List.of(file("access.log", "combined"), file("json.log", "json")),
                "", problems);
        assertThat(problems).isEmpty();
        assertThat(log.log(Exchanges.get().target("/q?a=\"1\"").header("User-Agent", "curl/8.5.0")
                .response(200, 2, 80).snapshot())).isTrue();
        writer.runOnce();
        assertThat(Files.readString(dir.resolve("access.log"), StandardCharsets.ISO_8859_1)).isEqualTo(
                "203.0.113.7 - - [26/Nov/2026:01:02:03 +0000] \"GET /q?a=\\x221\\x22 HTTP/1.1\" 200 2 \"-\" \"curl/8.5.0\"\n");
        assertThat(Files.readString(dir.resolve("json.log"), StandardCharsets.ISO_8859_1))
                .isEqualTo("{\"uri\":\"/q?a=\\\"1\\\"\"}\n");
    }
}
