package dev.proxyline.server.accesslog;

import static dev.proxyline.server.variables.Sessions.NOW;
import static dev.proxyline.server.variables.Sessions.table;
import static dev.proxyline.server.variables.Sessions.through;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.LogFormat;
import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Sessions;
import org.junit.jupiter.api.Test;

class LineFormatTest {
    /** Authority value with a quote, a backslash, a control byte, DEL and UTF-8 "é". */
    private static final Bytes AWKWARD = Bytes.of((byte) 'a', (byte) '"', (byte) '\\', (byte) 0x1F, (byte) 0x7F,
            (byte) 0xC3, (byte) 0xA9, (byte) '\n');

    private static SessionSnapshot awkward() {
        return through(HeaderPolicy.REQUIRE, new Tlv.Authority(AWKWARD)).status(200).snapshot(NOW);
    }

    private static String line(LogFormat.Escape escape, String format, SessionSnapshot session) {
        return LineFormat.compile(new LogFormat("f", escape, format), table()).format(session);
    }

    @Test
    void defaultEscapingWritesQuoteBackslashControlAndHighBytesAsUpperCaseHex() {
        assertThat(line(LogFormat.Escape.DEFAULT, "\"$proxy_protocol_tlv_authority\"", awkward()))
                .isEqualTo("\"a\\x22\\x5C\\x1F\\x7F\\xC3\\xA9\\x0A\"\n");
    }

    @Test
    void jsonEscapingFollowsNginxAndPassesUtf8Through() {
        assertThat(line(LogFormat.Escape.JSON, "{\"a\":\"$proxy_protocol_tlv_authority\"}", awkward()))
                .isEqualTo("{\"a\":\"a\\\"\\\\\\u001F\u007f\u00c3\u00a9\\n\"}\n");
    }

    @Test
    void noEscapingWritesValuesAsTheyAre() {
        assertThat(line(LogFormat.Escape.NONE, "$proxy_protocol_tlv_authority", awkward()))
                .isEqualTo("a\"\\\u001f\u007f\u00c3\u00a9\n\n");
    }

    @Test
    void missingVariableIsDashByDefaultAndNothingInJsonOrNone() {
        SessionSnapshot s = Sessions.direct().snapshot(NOW);
        assertThat(line(LogFormat.Escape.DEFAULT, "[$upstream_addr]", s)).isEqualTo("[-]\n");
        assertThat(line(LogFormat.Escape.JSON, "[$upstream_addr]", s)).isEqualTo("[]\n");
        assertThat(line(LogFormat.Escape.NONE, "[$upstream_addr]", s)).isEqualTo("[]\n");
    }

    @Test
    void literalTextOfTheFormatIsNeverEscaped() {
        assertThat(line(LogFormat.Escape.DEFAULT, "\"\\ $status", awkward())).isEqualTo("\"\\ 200\n");
    }

    @Test
    void typicalStreamLine() {
        SessionSnapshot s = through(HeaderPolicy.REQUIRE).bytesSent(10).bytesReceived(20).status(200)
                .upstream(dev.proxyline.server.variables.UpstreamAttempt.connected("10.1.0.1:80", 2)).snapshot(NOW);
        assertThat(line(LogFormat.Escape.DEFAULT,
                "$remote_addr [$time_local] $protocol $status $bytes_sent $bytes_received $session_time"
                        + " \"$upstream_addr\" \"$upstream_connect_time\"", s))
                .isEqualTo("203.0.113.7 [26/Nov/2026:01:02:03 +0000] TCP 200 10 20 1.234 \"10.1.0.1:80\" \"0.002\"\n");
    }

    @Test
    void unknownVariableNamesTheFormat() {
        assertThatThrownBy(() -> LineFormat.compile(new LogFormat("proxy", LogFormat.Escape.DEFAULT, "$nope"), table()))
                .hasMessageContaining("log_format \"proxy\"").hasMessageContaining("$nope");
    }
}
