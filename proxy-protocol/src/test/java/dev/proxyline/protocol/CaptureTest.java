package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.testing.BufferKind;
import dev.proxyline.protocol.testing.ConformanceVectors;
import dev.proxyline.protocol.testing.ConformanceVectors.Capture;
import dev.proxyline.protocol.testing.Delivery;
import dev.proxyline.protocol.testing.ExpectedHeader;
import dev.proxyline.protocol.testing.Receiver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The headers real peers sent (HAProxy 2.6, nginx, curl), decoded and checked against the
 * description captured next to them: version, length, command, family, addresses, ports, TLV types
 * and values, SSL sub-TLVs, and the CRC32C the capture tool verified.
 */
class CaptureTest {
    private static final Pattern VERSION = Pattern.compile("(?m)^version: (\\d)");
    private static final Pattern LENGTH = Pattern.compile("(?m)^length: (\\d+) bytes");
    private static final Pattern PROTOCOL = Pattern.compile("(?m)^protocol: (\\S+)");
    private static final Pattern VER_CMD = Pattern.compile("(?m)^ver_cmd: 0x([0-9a-f]{2})");
    private static final Pattern FAM = Pattern.compile("(?m)^fam: 0x([0-9a-f]{2})");
    private static final Pattern ENDPOINT = Pattern.compile("(?m)^\\s*(src|dst): (\\S+) port (\\d+)");
    private static final Pattern TLV = Pattern.compile("(?m)^(  |    )tlv 0x([0-9a-f]{2}) \\S+ len=(\\d+) value=([0-9a-f]*)(.*)$");

    static Stream<Capture> captures() {
        return ConformanceVectors.captures().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void decodesWhatThePeerSentAsTheCaptureDescribes(Capture capture) {
        assertThat(capture.description()).as("a description next to the capture").isNotBlank();
        DecodeResult result = new ProxyHeaderDecoder().decode(capture.bytes());
        assertThat(result).as(capture.description()).isInstanceOf(DecodeResult.Complete.class);
        DecodeResult.Complete complete = (DecodeResult.Complete) result;
        ProxyHeader header = complete.header();
        String text = capture.description();

        assertThat(complete.length()).isEqualTo(Integer.parseInt(group(LENGTH, text))).isEqualTo(capture.bytes().length);
        assertThat(header.version()).isEqualTo("1".equals(group(VERSION, text)) ? ProtocolVersion.V1 : ProtocolVersion.V2);
        if (header.version() == ProtocolVersion.V1) {
            assertThat(ExpectedHeader.familyName(header)).isEqualTo(group(PROTOCOL, text));
        } else {
            int verCmd = Integer.parseInt(group(VER_CMD, text), 16);
            int fam = Integer.parseInt(group(FAM, text), 16);
            assertThat(header.command().code()).isEqualTo(verCmd & 0x0F);
            assertThat(header.family().code() << 4 | header.transport().code()).isEqualTo(fam);
        }

        Matcher endpoints = ENDPOINT.matcher(text);
        List<String[]> described = new ArrayList<>();
        while (endpoints.find()) {
            described.add(new String[] {endpoints.group(1), endpoints.group(2), endpoints.group(3)});
        }
        if (described.isEmpty()) {
            assertThat(header.useConnectionAddresses()).isTrue();
        }
        for (String[] endpoint : described) {
            InetSocketAddress actual = ("src".equals(endpoint[0]) ? header.sourceAddress() : header.destinationAddress()).orElseThrow();
            assertThat(actual.getAddress().getAddress()).as(endpoint[0])
                    .isEqualTo(InetLiterals.parseOrThrow(endpoint[1], endpoint[0]).getAddress());
            assertThat(actual.getPort()).as(endpoint[0] + " port").isEqualTo(Integer.parseInt(endpoint[2]));
        }

        Matcher tlvs = TLV.matcher(text);
        int top = 0;
        int sub = 0;
        while (tlvs.find()) {
            int type = Integer.parseInt(tlvs.group(2), 16);
            String value = tlvs.group(4);
            assertThat(Integer.parseInt(tlvs.group(3))).isEqualTo(value.length() / 2);
            if (tlvs.group(1).length() == 2) {
                Tlv tlv = header.tlvs().get(top++);
                sub = 0;
                assertThat(tlv.type()).isEqualTo(type);
                assertThat(tlv.value().toHex()).isEqualTo(value);
                if (tlvs.group(5).contains(": valid")) {
                    assertThat(tlv).isInstanceOf(Tlv.Crc32c.class);
                }
            } else {
                Tlv.Ssl ssl = (Tlv.Ssl) header.tlvs().get(top - 1);
                SslSubTlv subTlv = ssl.subTlvs().get(sub++);
                assertThat(subTlv.type()).isEqualTo(type);
                assertThat(subTlv.value().toHex()).isEqualTo(value);
            }
        }
        assertThat(header.tlvs()).as("every TLV described").hasSize(top);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void decodesTheSameWhenTheCaptureArrivesByteByByteInADirectBuffer(Capture capture) {
        DecodeResult single = new ProxyHeaderDecoder().decode(capture.bytes());
        Receiver.Outcome outcome = Receiver.receive(new ProxyHeaderDecoder(),
                Delivery.BYTE_BY_BYTE.split(capture.bytes(), 1), BufferKind.DIRECT_LITTLE_ENDIAN);
        assertThat(outcome.result()).isEqualTo(single);
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("description has " + pattern).isTrue();
        return matcher.group(1);
    }
}
