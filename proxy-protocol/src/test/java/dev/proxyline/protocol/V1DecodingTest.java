package dev.proxyline.protocol;

import static dev.proxyline.protocol.DecoderTesting.ascii;
import static dev.proxyline.protocol.DecoderTesting.complete;
import static dev.proxyline.protocol.DecoderTesting.decode;
import static dev.proxyline.protocol.DecoderTesting.invalid;
import static dev.proxyline.protocol.DecoderTesting.refusedAfter;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The v1 line (spec §2.1) beyond what the public vectors pin down. */
class V1DecodingTest {

    @Test
    void decodesATcp4LineAndLeavesThePayload() {
        DecodeResult.Complete complete = complete(ascii("PROXY TCP4 192.0.2.1 198.51.100.2 51234 443\r\nGET /"));
        assertThat(complete.length()).isEqualTo(45);
        assertThat(complete.header()).isEqualTo(ProxyHeader.tcp(ProtocolVersion.V1,
                new InetSocketAddress(InetLiterals.parseOrThrow("192.0.2.1", "src"), 51234),
                new InetSocketAddress(InetLiterals.parseOrThrow("198.51.100.2", "dst"), 443)));
    }

    @Test
    void keepsAnIpv4MappedTcp6AddressIpv6() {
        ProxyHeader header = complete(ascii("PROXY TCP6 ::ffff:192.0.2.1 2001:db8::1 51512 22\r\n")).header();
        assertThat(header.family()).isEqualTo(AddressFamily.INET6);
        assertThat(header.sourceAddress().orElseThrow().getAddress()).isInstanceOf(Inet6Address.class);
    }

    @Test
    void reportsABareLfAfterTheLastPortAsABadLineEnd() {
        DecodeResult.Invalid invalid = invalid(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 443\nGET"), Reason.V1_BAD_LINE_END);
        assertThat(invalid.offset()).isEqualTo(33);
        assertThat(invalid.message()).contains("\"\\n\"").contains("offset 33").contains("bare LF");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "PROXY TCP4 1.2.3.4 5.6.7.8 80 443\rGET",
        "PROXY TCP4 1.2.3.4 5.6.7.8 80 443\r\r\n",
        "PROXY UNKNOWN\n",
        "PROXY UNKNOWN foo\nbar\r\n",
        "PROXY UNKNOWN foo\rbar\r\n",
        "PROXY TCP6 ::1 ::1 80 443\n",
    })
    void refusesALoneCrOrLfAsTheLineEnd(String line) {
        invalid(ascii(line), Reason.V1_BAD_LINE_END);
    }

    @Test
    void refusesASpaceBeforeTheCrlf() {
        invalid(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 443 \r\n"), Reason.V1_BAD_SYNTAX);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"080", "00", "65536", "99999", "123456", "+80", "-1", "0x50", "8 0", "", "\u0660", "\uff18\uff10"})
    void refusesPortsThatAreNotZeroTo65535WithoutLeadingZeros(String port) {
        byte[] line = ("PROXY TCP4 1.2.3.4 5.6.7.8 " + port + " 443\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(decode(line)).isInstanceOf(DecodeResult.Invalid.class);
        byte[] last = ("PROXY TCP4 1.2.3.4 5.6.7.8 443 " + port + "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(decode(last)).isInstanceOf(DecodeResult.Invalid.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 1, 9, 10, 80, 443, 1024, 9999, 10000, 65535})
    void acceptsEveryPortSpelling(int port) {
        ProxyHeader header = complete(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 " + port + " " + port + "\r\n")).header();
        assertThat(header.sourceAddress().orElseThrow().getPort()).isEqualTo(port);
        assertThat(header.destinationAddress().orElseThrow().getPort()).isEqualTo(port);
    }

    @Test
    void saysWhichPortWhereAndWhatWasExpected() {
        DecodeResult.Invalid invalid = invalid(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 080 443\r\n"), Reason.V1_BAD_PORT);
        assertThat(invalid.offset()).isEqualTo(27);
        assertThat(invalid.message()).isEqualTo("invalid v1 port: \"080\" at offset 27 (expected a port 0-65535 without leading zeros or sign)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "PROXY TCP4 1.2.3 5.6.7.8 80 443|11",
        "PROXY TCP4 16909060 5.6.7.8 80 443|11",
        "PROXY TCP4 localhost 5.6.7.8 80 443|11",
        "PROXY TCP4 01.2.3.4 5.6.7.8 80 443|11",
        "PROXY TCP4 1.2.3.4 5.6.7.256 80 443|19",
        "PROXY TCP4 ::1 ::1 80 443|11",
        "PROXY TCP6 1.2.3.4 ::1 80 443|11",
        "PROXY TCP6 ::1 fe80::1%eth0 80 443|15",
        "PROXY TCP6 [::1] ::1 80 443|11",
        "PROXY TCP6 ::1 1::2::3 80 443|15",
        "PROXY TCP6 ::ffff:01.2.3.4 ::1 80 443|11",
    })
    void refusesAddressesThatAreNotStrictLiteralsOfTheAnnouncedFamily(String line, int offset) {
        DecodeResult.Invalid invalid = invalid(ascii(line + "\r\n"), Reason.V1_BAD_ADDRESS);
        assertThat(invalid.offset()).isEqualTo(offset);
        assertThat(invalid.message()).contains("at offset " + offset).contains("expected an IPv");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "PROXY TCP4 1.2.3.4 5.6.7.8 80\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 80 443 9\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8\r\n",
        "PROXY TCP4\r\n",
        "PROXY TCP4 \r\n",
        "PROXY TCP4  1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY TCP4\t1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY TCP4 1.2.3.4\t5.6.7.8 80 443\r\n",
        "PROXY  TCP4 1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY tcp4 1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY TCP5 1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY UDP4 1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY TCP44 1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY UNKNOWN\t\r\n",
        "PROXY UNKNOWNX\r\n",
        "PROXY unknown\r\n",
        "PROXY \r\n",
        "PROXY\r\n",
    })
    void refusesLinesThatDoNotMatchTheGrammarExactly(String line) {
        assertThat(decode(ascii(line))).isInstanceOf(DecodeResult.Invalid.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "PROXY UNKNOWN\r\n",
        "PROXY UNKNOWN \r\n",
        "PROXY UNKNOWN 1.2.3.4 5.6.7.8 80 443\r\n",
        "PROXY UNKNOWN whatever the sender \u00ff put here\r\n",
        "PROXY UNKNOWN  \r\n",
    })
    void ignoresWhateverFollowsUnknownUpToTheCrlf(String line) {
        DecodeResult.Complete complete = complete(line.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(complete.header()).isEqualTo(ProxyHeader.unknown(ProtocolVersion.V1, List.of()));
        assertThat(complete.header().useConnectionAddresses()).isTrue();
        assertThat(complete.length()).isEqualTo(line.length());
    }

    @Test
    void acceptsAnUnknownLineOfExactly107BytesAndRefuses108AfterTheir107thByte() {
        String filler = "x".repeat(107 - "PROXY UNKNOWN \r\n".length());
        assertThat(complete(ascii("PROXY UNKNOWN " + filler + "\r\n")).length()).isEqualTo(107);
        DecodeResult.Invalid invalid = refusedAfter(ascii("PROXY UNKNOWN " + filler + "y\r\n"), 107, Reason.V1_TOO_LONG);
        assertThat(invalid.offset()).isEqualTo(107);
        assertThat(invalid.message()).contains("107");
    }

    @Test
    void refusesATcp6LineLongerThan107BytesEvenWhenEveryFieldIsValid() {
        // Dotted IPv4 tails make 45-character addresses, so a field-by-field check alone would allow 116 bytes.
        String wide = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        String line = "PROXY TCP6 " + wide + " " + wide + " 65535 65535\r\n";
        assertThat(line).hasSize(116);
        invalid(ascii(line), Reason.V1_TOO_LONG);
        for (String dst : new String[] {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff::255.255.255.255",
            "ffff:ffff:ffff:ffff::255.255.255.255", "ffff:ffff:ffff::255.255.255.255", "ffff:ffff::255.255.255.255"}) {
            for (String ports : new String[] {"65535 65535", "1 2", "80 443"}) {
                byte[] bytes = ascii("PROXY TCP6 " + wide + " " + dst + " " + ports + "\r\n");
                DecodeResult result = decode(bytes);
                if (bytes.length <= 107) {
                    assertThat(result).as("%d bytes", bytes.length).isInstanceOf(DecodeResult.Complete.class);
                } else {
                    assertThat(result).as("%d bytes", bytes.length).isInstanceOf(DecodeResult.Invalid.class);
                    assertThat(((DecodeResult.Invalid) result).reason()).isEqualTo(Reason.V1_TOO_LONG);
                }
            }
        }
    }

    @Test
    void waitsForTheLfAfterTheCr() {
        assertThat(decode(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 443\r"))).isInstanceOf(DecodeResult.NeedMore.class);
        assertThat(decode(ascii("PROXY UNKNOWN\r"))).isInstanceOf(DecodeResult.NeedMore.class);
    }

    @Test
    void leavesASecondHeaderInThePayload() {
        byte[] two = ascii("PROXY UNKNOWN\r\nPROXY TCP4 1.2.3.4 5.6.7.8 80 443\r\n");
        assertThat(complete(two).length()).isEqualTo(15);
    }

    @Test
    void neverLooksPastTheFirst107Bytes() {
        // The same line with and without a long payload after it: identical answers.
        byte[] line = ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 443\r\n");
        byte[] withPayload = ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 443\r\n" + "\r\n".repeat(500));
        assertThat(decode(withPayload)).isEqualTo(decode(line));
    }
    @ParameterizedTest(name = "{0} after {1} bytes")
    @CsvSource(delimiter = '|', value = {
        "PROXY TCP4 01.2.3.4 5.6.7.8 80 443|13|V1_BAD_ADDRESS|11",
        "PROXY TCP4 1.2.3.256 5.6.7.8 80 443|20|V1_BAD_ADDRESS|11",
        "PROXY TCP4 1.2.3.4.5 5.6.7.8 80 443|19|V1_BAD_ADDRESS|11",
        "PROXY TCP4 1.2.3 5.6.7.8 80 443|17|V1_BAD_ADDRESS|11",
        "PROXY TCP4 1.2.3.4 5.6.7.8 080 443|29|V1_BAD_PORT|27",
        "PROXY TCP4 1.2.3.4 5.6.7.8 65536 443|32|V1_BAD_PORT|27",
        "PROXY TCP4 1.2.3.4 5.6.7.8 80 00|32|V1_BAD_PORT|30",
        "PROXY TCP4 1.2.3.4 5.6.7.8 80 99999|35|V1_BAD_PORT|30",
        "PROXY TCP6 12345::1 ::1 80 443|16|V1_BAD_ADDRESS|11",
        "PROXY TCP6 1:::1 ::1 80 443|15|V1_BAD_ADDRESS|11",
        "PROXY TCP6 1::2::3 ::1 80 443|17|V1_BAD_ADDRESS|11",
        "PROXY TCP6 :1::3 ::1 80 443|13|V1_BAD_ADDRESS|11",
        "PROXY TCP6 ::1.2.3.4:5 ::1 80 443|21|V1_BAD_ADDRESS|11",
        "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 80 443|29|V1_BAD_ADDRESS|11",
    })
    void refusesABadFieldAsSoonAsItCannotBecomeValid(String line, int decidedAfter, Reason reason, int offset) {
        DecodeResult.Invalid invalid = refusedAfter(ascii(line + "\r\n"), decidedAfter, reason);
        assertThat(invalid.offset()).isEqualTo(offset);
        assertThat(decode(ascii(line + "\r\n"))).as("the same verdict on the whole line").isEqualTo(decode(ascii(line + "\r\n")));
        assertThat(((DecodeResult.Invalid) decode(ascii(line + "\r\n"))).reason()).isEqualTo(reason);
    }

    @Test
    void keepsWaitingWhileEveryFieldCanStillBecomeValid() {
        for (String line : new String[] {"PROXY TCP4 255.255.255.255 0.0.0.0 65535 0\r\n",
            "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255 ::ffff:1.2.3.4 1 2\r\n",
            "PROXY TCP6 :: 1:: 0 0\r\n", "PROXY TCP6 ::1:2 a:b:c:d:e:f:1:2 10 20\r\n"}) {
            byte[] bytes = ascii(line);
            for (int n = 0; n < bytes.length; n++) {
                assertThat(decode(java.util.Arrays.copyOf(bytes, n))).as("%d bytes of %s", n, line).isInstanceOf(DecodeResult.NeedMore.class);
            }
            assertThat(decode(bytes)).isInstanceOf(DecodeResult.Complete.class);
        }
    }

    @Test
    void reportsABadLastPortBeforeItsLineEnd() {
        // "08" is refused before the LF arrives, so the whole line must get the same answer.
        invalid(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 080\n"), Reason.V1_BAD_PORT);
        invalid(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 080\rX"), Reason.V1_BAD_PORT);
    }
}
