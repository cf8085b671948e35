package dev.proxyline.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.Endpoints;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.SslSubTlv;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * Checks a decoded header against the {@code expect} object of a conformance vector, every field of
 * it (entry 0 of the vectors file documents them). Addresses are compared as bytes, not as text.
 */
public final class ExpectedHeader {
    private static final HexFormat HEX = HexFormat.of();

    private ExpectedHeader() {
    }

    /** Asserts that {@code complete}, decoded from {@code input}, is what {@code expect} describes. */
    public static void assertMatches(JsonNode expect, DecodeResult.Complete complete, byte[] input) {
        ProxyHeader header = complete.header();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(header.version()).as("version")
                .isEqualTo(expect.path("version").asInt() == 1 ? ProtocolVersion.V1 : ProtocolVersion.V2);
        softly.assertThat(header.command()).as("command").isEqualTo(Command.valueOf(expect.path("command").asText()));
        String family = expect.path("family").asText();
        softly.assertThat(familyName(header)).as("family").isEqualTo(family);
        JsonNode transport = expect.path("transport");
        softly.assertThat(header.transport()).as("transport").isEqualTo(transport.isNull() || transport.isMissingNode()
                ? TransportProtocol.UNSPEC : TransportProtocol.valueOf(transport.asText()));
        boolean useConnection = expect.path("useConnectionAddresses").asBoolean();
        softly.assertThat(header.useConnectionAddresses()).as("useConnectionAddresses").isEqualTo(useConnection);
        if (useConnection) {
            softly.assertThat(header.sourceAddress()).as("no source address to use").isEmpty();
            softly.assertThat(header.destinationAddress()).as("no destination address to use").isEmpty();
        } else if ("UNIX".equals(family)) {
            softly.assertThat(header.endpoints()).as("endpoints").isInstanceOf(Endpoints.Unix.class);
            if (header.endpoints() instanceof Endpoints.Unix unix) {
                softly.assertThat(unix.sourcePath()).as("src").isEqualTo(Bytes.of(expect.path("src").asText(), StandardCharsets.UTF_8));
                softly.assertThat(unix.destinationPath()).as("dst").isEqualTo(Bytes.of(expect.path("dst").asText(), StandardCharsets.UTF_8));
            }
        } else {
            softly.assertThat(header.endpoints()).as("endpoints").isInstanceOf(Endpoints.Inet.class);
            if (header.endpoints() instanceof Endpoints.Inet inet) {
                assertEndpoint(softly, "src", inet.source(), expect.path("src").asText(), expect.path("srcPort").asInt());
                assertEndpoint(softly, "dst", inet.destination(), expect.path("dst").asText(), expect.path("dstPort").asInt());
            }
        }
        softly.assertThat(complete.length()).as("headerLength").isEqualTo(expect.path("headerLength").asInt());
        JsonNode tlvs = expect.path("tlvs");
        if (tlvs.isNull()) {
            softly.assertThat(header.tlvs()).as("tlvs of an opaque block").isEmpty();
            softly.assertThat(header.opaqueBlock()).as("opaque block")
                    .isEqualTo(Bytes.copyOf(input, 16, complete.length() - 16));
        } else {
            softly.assertThat(header.opaqueBlock()).as("opaque block").isEqualTo(Bytes.EMPTY);
            assertTlvs(softly, tlvs, header.tlvs());
        }
        if (expect.has("trailingPayloadHex")) {
            softly.assertThat(HEX.formatHex(Arrays.copyOfRange(input, Math.min(complete.length(), input.length), input.length)))
                    .as("trailing payload").isEqualTo(expect.path("trailingPayloadHex").asText());
        }
        softly.assertAll();
    }

    /** The vectors' name for what the header announces: TCP4, UDP6, UNIX, UNSPEC, or v1 UNKNOWN. */
    public static String familyName(ProxyHeader header) {
        if (header.version() == ProtocolVersion.V1 && header.family() == AddressFamily.UNSPEC) {
            return "UNKNOWN";
        }
        return switch (header.family()) {
            case UNSPEC -> "UNSPEC";
            case UNIX -> "UNIX";
            case INET -> header.transport() == TransportProtocol.DGRAM ? "UDP4" : "TCP4";
            case INET6 -> header.transport() == TransportProtocol.DGRAM ? "UDP6" : "TCP6";
        };
    }

    private static void assertEndpoint(SoftAssertions softly, String what, InetSocketAddress actual, String text, int port) {
        byte[] expected = InetLiterals.parse(text).orElseThrow(() -> new AssertionError("bad " + what + " in vector: " + text)).getAddress();
        softly.assertThat(HEX.formatHex(actual.getAddress().getAddress())).as(what + " address bytes").isEqualTo(HEX.formatHex(expected));
        softly.assertThat(actual.getPort()).as(what + "Port").isEqualTo(port);
        softly.assertThat(actual.isUnresolved()).as(what + " is an address").isFalse();
    }

    private static void assertTlvs(SoftAssertions softly, JsonNode expected, List<Tlv> actual) {
        softly.assertThat(actual).as("tlv count").hasSize(expected.size());
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            JsonNode want = expected.get(i);
            Tlv got = actual.get(i);
            softly.assertThat(got.type()).as("tlv[%d].type", i).isEqualTo(want.path("type").asInt());
            softly.assertThat(got.value().toHex()).as("tlv[%d].hex", i).isEqualTo(want.path("hex").asText().toLowerCase());
            if (want.has("ssl")) {
                JsonNode ssl = want.path("ssl");
                softly.assertThat(got).as("tlv[%d] is SSL", i).isInstanceOf(Tlv.Ssl.class);
                if (got instanceof Tlv.Ssl s) {
                    softly.assertThat(s.client()).as("ssl.client").isEqualTo(ssl.path("client").asInt());
                    softly.assertThat(s.verify()).as("ssl.verify").isEqualTo(ssl.path("verify").asLong());
                    JsonNode subs = ssl.path("subTlvs");
                    softly.assertThat(s.subTlvs()).as("ssl.subTlvs count").hasSize(subs.size());
                    for (int j = 0; j < Math.min(subs.size(), s.subTlvs().size()); j++) {
                        SslSubTlv sub = s.subTlvs().get(j);
                        softly.assertThat(sub.type()).as("ssl.subTlvs[%d].type", j).isEqualTo(subs.get(j).path("type").asInt());
                        softly.assertThat(sub.value().toHex()).as("ssl.subTlvs[%d].hex", j)
                                .isEqualTo(subs.get(j).path("hex").asText().toLowerCase());
                    }
                }
            }
        }
    }

    /** Convenience for callers that only need the verdict: true when {@code result} is complete. */
    public static boolean accepted(DecodeResult result) {
        return result instanceof DecodeResult.Complete;
    }
}
