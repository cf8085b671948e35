package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.HttpCodecLimits;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.variables.VariableTable;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head rules of a listen socket from its servers' client_header_buffer_size, large_client_header_buffers,
 * underscores_in_headers and ignore_invalid_headers: the default server's for the request line, then the chosen
 * server's, and the fields nginx drops.
 */
class HeadRulesTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.9", 40000);

    @TempDir
    Path dir;

    private HttpListenerPlan plan(String servers) throws Exception {
        Path file = dir.resolve("p.conf");
        Files.writeString(file, "http {\n" + servers + "\n}\n");
        LoadResult result = ConfigLoader.load(file);
        assertThat(result.errors()).isEmpty();
        HttpConfig http = ((LoadResult.Loaded) result).config().http().orElseThrow();
        return new HttpPlanner(VariableTable.http(ZoneId.of("UTC"), "host", 1),
                name -> List.of(InetAddress.getLoopbackAddress()), System::nanoTime, new SplittableRandom(1), dir,
                targets -> SessionLog.off()).plan(http).get(0);
    }

    private static RequestFacts facts() {
        HttpConnection connection = new HttpConnection(1, PEER, new InetSocketAddress("127.0.0.1", 8080),
                Optional.empty(), Optional.empty(), HttpConnection.HTTP_1_1);
        return new RequestFacts(connection, 0, 0, new DefaultHttpHeaders(), new RealIp.Result(PEER, PEER, false));
    }

    private static HttpRequest request(String target, String... fields) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        for (int i = 0; i < fields.length; i += 2) request.headers().add(fields[i], fields[i + 1]);
        return request;
    }

    @Test
    void configuredSizesMeasureTheRequestLineAndTheFields() throws Exception {
        HeadRules rules = HeadRules.of(plan("""
                client_header_buffer_size 2k;
                large_client_header_buffers 2 1k;
                server { listen 127.0.0.1:8080; }
                """));
        // A request line of 2048 bytes fits the first buffer although it is longer than a large one.
        String target = "/" + "a".repeat(2048 - "GET / HTTP/1.1\r\n".length());
        assertThat(RequestHeadScan.scan(request(target, "Host", "a"), facts(), false, rules))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        assertThat(RequestHeadScan.scan(request(target + "a", "Host", "a"), facts(), false, rules))
                .isEqualTo(RequestHeadScan.Verdict.REQUEST_LINE_TOO_LONG);
        // What is left of the first buffer after a line that fills it: 13 bytes, so X-A needs a large buffer.
        String fill = "f".repeat(2000);
        String value = "v".repeat(1024 - "X-A: \r\n".length());
        assertThat(RequestHeadScan.scan(request("/", "Host", "a", "X-Fill", fill, "X-A", value), facts(), false, rules))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        RequestFacts tooLong = facts();
        assertThat(RequestHeadScan.scan(request("/", "Host", "a", "X-Fill", fill, "X-A", value + "v"), tooLong, false,
                rules)).isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG);
        assertThat(RequestHeadScan.message(RequestHeadScan.Verdict.LINE_TOO_LONG, tooLong.tooLongField))
                .isEqualTo("client sent too long header line: \"X-A: ...\"");
        // The first buffer holds the short lines; two large buffers take one 1k line each (the last one leaving room for
        // the empty line that ends the head), a third line finds none.
        assertThat(RequestHeadScan.scan(request("/", "Host", "a", "X-A", "v".repeat(2000), "X-B", value, "X-C",
                value.substring(2)), facts(), false, rules)).isEqualTo(RequestHeadScan.Verdict.READ);
        RequestFacts noRoomForTheEnd = facts();
        assertThat(RequestHeadScan.scan(request("/", "Host", "a", "X-A", "v".repeat(2000), "X-B", value, "X-C", value),
                noRoomForTheEnd, false, rules)).isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG);
        assertThat(RequestHeadScan.message(RequestHeadScan.Verdict.LINE_TOO_LONG, noRoomForTheEnd.tooLongField))
                .isEqualTo("client sent too large request");
        assertThat(RequestHeadScan.scan(request("/", "Host", "a", "X-A", "v".repeat(2000), "X-B", value, "X-C", value,
                "X-D", value), facts(), false, rules)).isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG);
    }

    @Test
    void theHostFieldOrTheTargetsHostSwitchesToItsServersBuffersForTheLinesAfterIt() throws Exception {
        HeadRules rules = HeadRules.of(plan("""
                server { listen 127.0.0.1:8080 default_server; large_client_header_buffers 4 1k; }
                server { listen 127.0.0.1:8080; server_name big; large_client_header_buffers 4 8k; }
                """));
        assertThat(rules.varies()).isTrue();
        String line = "v".repeat(4000);
        assertThat(RequestHeadScan.scan(request("/", "Host", "big", "X-A", line), facts(), false, rules))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        assertThat(RequestHeadScan.scan(request("/", "X-A", line, "Host", "big"), facts(), false, rules))
                .as("before the Host the default server's").isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG_BEFORE_HOST);
        assertThat(RequestHeadScan.scan(request("/", "Host", "other", "X-A", line), facts(), false, rules))
                .isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG);
        assertThat(RequestHeadScan.scan(request("http://big/", "X-A", line, "Host", "other"), facts(), false, rules))
                .as("the target's host wins").isEqualTo(RequestHeadScan.Verdict.READ);
    }

    @Test
    void serversThatReadHeadsAlikeNeedNoLookup() throws Exception {
        assertThat(HeadRules.of(plan("""
                server { listen 127.0.0.1:8080 default_server; client_header_buffer_size 4k; }
                server { listen 127.0.0.1:8080; server_name b; }
                """)).varies()).as("the first buffer is only the default server's").isFalse();
        assertThat(HeadRules.of(plan("""
                server { listen 127.0.0.1:8080 default_server; }
                server { listen 127.0.0.1:8080; server_name b; underscores_in_headers on; }
                """)).varies()).isTrue();
    }

    @Test
    void namesWithUnderscoresOrOtherCharactersAreDroppedByDefault() throws Exception {
        HttpRequest request = request("/", "Host", "a", "X_Under", "1", "X-Ok", "2", "X.Dot", "3", "x_under", "4",
                "X-9", "5");
        RequestFacts facts = facts();
        assertThat(RequestHeadScan.scan(request, facts, false, HeadRules.STANDARD))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        assertThat(request.headers().names()).containsExactlyInAnyOrder("Host", "X-Ok", "X-9");
        assertThat(facts.droppedField).isEqualTo("X_Under");
        assertThat(facts.requestLength).as("dropped fields were received").isEqualTo(16 + 3 + 1 + 9 + 12 + 9 + 10
                + 12 + 8 + 2);
    }

    @Test
    void underscoresOnKeepsThemAndIgnoreOffKeepsEveryName() throws Exception {
        HeadRules underscores = HeadRules.of(plan("underscores_in_headers on; server { listen 127.0.0.1:8080; }"));
        HttpRequest request = request("/", "Host", "a", "X_Under", "1", "X.Dot", "2");
        RequestFacts facts = facts();
        RequestHeadScan.scan(request, facts, false, underscores);
        assertThat(request.headers().names()).containsExactlyInAnyOrder("Host", "X_Under");
        assertThat(facts.droppedField).isEqualTo("X.Dot");

        HeadRules keep = HeadRules.of(plan("ignore_invalid_headers off; server { listen 127.0.0.1:8080; }"));
        HttpRequest kept = request("/", "Host", "a", "X_Under", "1", "X.Dot", "2");
        RequestFacts keptFacts = facts();
        RequestHeadScan.scan(kept, keptFacts, false, keep);
        assertThat(kept.headers().names()).containsExactlyInAnyOrder("Host", "X_Under", "X.Dot");
        assertThat(keptFacts.droppedField).isNull();
    }

    @Test
    void aRefusedHeadKeepsItsFieldsAndHttp2FieldsAreJudgedByNameToo() {
        HttpRequest refused = request("/", "X_A", "1", "Authorization", "x", "Authorization", "y");
        assertThat(RequestHeadScan.scan(refused, facts(), false, HeadRules.STANDARD))
                .isEqualTo(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION_BEFORE_HOST);
        assertThat(refused.headers().contains("X_A")).isTrue();
        HttpRequest http2 = request("/", "host", "a", "x_a", "1");
        assertThat(RequestHeadScan.scan(http2, facts(), true, HeadRules.STANDARD))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        assertThat(http2.headers().names()).containsExactly("host");
    }

    @Test
    void validNamesAreLettersDigitsAndHyphens() {
        assertThat(RequestHeadScan.validName("Content-Type", false)).isTrue();
        assertThat(RequestHeadScan.validName("X-1", false)).isTrue();
        assertThat(RequestHeadScan.validName("X_1", false)).isFalse();
        assertThat(RequestHeadScan.validName("X_1", true)).isTrue();
        for (String name : List.of("X.1", "X~1", "X!1", "X#1", "X$1", "X%1", "X&1", "X'1", "X*1", "X+1", "X^1", "X`1",
                "X|1", "Xé")) {
            assertThat(RequestHeadScan.validName(name, true)).as(name).isFalse();
        }
    }

    @Test
    void theCodecLimitsCoverTheLargestBuffersOfAnyServerAndTheDefaultServersStreams() throws Exception {
        HttpCodecLimits limits = new ProxyRequestStage(plan("""
                server { listen 127.0.0.1:8080 default_server; http2_max_concurrent_streams 7; }
                server { listen 127.0.0.1:8080; server_name b; large_client_header_buffers 8 32k; }
                """), new HttpRuntime(java.time.Clock.systemUTC(), System::nanoTime,
                dev.proxyline.protocol.netty.RejectionLog.standard(), new HttpCounters())).codecLimits();
        assertThat(limits.decoder().getMaxInitialLineLength()).isEqualTo(32768);
        assertThat(limits.decoder().getMaxHeaderSize()).isEqualTo(1024 + 8 * 32768);
        assertThat(limits.http2MaxConcurrentStreams()).isEqualTo(7);
        assertThat(HttpCodecLimits.DEFAULTS.decoder().getMaxInitialLineLength()).isEqualTo(8192);
        assertThat(HttpCodecLimits.DEFAULTS.decoder().getMaxHeaderSize()).isEqualTo(65536);
    }
}
