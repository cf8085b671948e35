package dev.proxyline.protocol.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.netty.ProxyHeaderSniffer.Sniff;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProxyHeaderSnifferTest {
    private static final String V2 = "0d0a0d0a000d0a515549540a2111000ccb0071070a00001ec82201bb";
    private static final ProxyHeaderDecoder DECODER = new ProxyHeaderDecoder();

    /** The verdict after each byte of {@code bytes}. */
    private static List<Sniff> verdicts(byte[] bytes) {
        List<Sniff> out = new ArrayList<>();
        for (int n = 1; n <= bytes.length; n++) {
            out.add(ProxyHeaderSniffer.sniff(bytes, n));
        }
        return out;
    }

    /** How many bytes it took to decide, or -1 if still undecided at the end. */
    private static int decidedAfter(byte[] bytes) {
        List<Sniff> verdicts = verdicts(bytes);
        for (int i = 0; i < verdicts.size(); i++) {
            if (verdicts.get(i) != Sniff.UNDECIDED) {
                return i + 1;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP4 203.0.113.7 10.0.0.30 51234 443\r\n", "PROXY TCP6 2001:db8::7 2001:db8::30 1 2\r\n",
        "PROXY UNKNOWN\r\n", "PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 garbage that is no header\r\n"})
    void aV1HeaderIsRecognisedAtTheEndOfItsProtocolToken(String header) {
        byte[] bytes = header.getBytes(US_ASCII);
        int expected = header.startsWith("PROXY UNKNOWN") ? 13 : 11;
        assertThat(decidedAfter(bytes)).isEqualTo(expected);
        assertThat(ProxyHeaderSniffer.sniff(bytes, bytes.length)).isEqualTo(Sniff.V1);
    }

    @Test
    void theV2SignatureIsRecognisedAfterTwelveBytes() {
        byte[] bytes = HexFormat.of().parseHex(V2);
        assertThat(decidedAfter(bytes)).isEqualTo(12);
        assertThat(ProxyHeaderSniffer.sniff(bytes, bytes.length)).isEqualTo(Sniff.V2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT / HTTP/1.1\r\n", "POST / HTTP/1.1\r\n", "PATCH / HTTP/1.1\r\n", "PROPFIND / HTTP/1.1\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "GET / HTTP/1.1\r\n", "HEAD / HTTP/1.0\r\n", "OPTIONS * HTTP/1.1\r\n",
        "DELETE /x HTTP/1.1\r\n", "CONNECT a:443 HTTP/1.1\r\n", "TRACE / HTTP/1.1\r\n"})
    void anHttpRequestIsRuledOutWithinFourBytes(String request) {
        byte[] bytes = request.getBytes(US_ASCII);
        int decided = decidedAfter(bytes);
        // PROPFIND and PROPPATCH share "PRO" with "PROXY": the fourth byte decides.
        assertThat(decided).isBetween(1, request.startsWith("PROP") ? 4 : 3);
        assertThat(verdicts(bytes).subList(decided - 1, bytes.length)).containsOnly(Sniff.NOT_PROXY);
    }

    @Test
    void aLoneP() {
        assertThat(ProxyHeaderSniffer.sniff("P".getBytes(US_ASCII), 1)).isEqualTo(Sniff.UNDECIDED);
        assertThat(ProxyHeaderSniffer.sniff("PU".getBytes(US_ASCII), 2)).isEqualTo(Sniff.NOT_PROXY);
    }

    @Test
    void anHttpRequestWithTheExtensionMethodProxyIsNotAHeader() {
        byte[] bytes = "PROXY / HTTP/1.1\r\n".getBytes(US_ASCII);
        assertThat(decidedAfter(bytes)).isEqualTo(7);
        assertThat(ProxyHeaderSniffer.sniff(bytes, 7)).isEqualTo(Sniff.NOT_PROXY);
    }

    @Test
    void aTlsClientHelloIsRuledOutAtTheFirstByte() {
        byte[] hello = HexFormat.of().parseHex("1603010200010001fc0303");
        assertThat(verdicts(hello)).containsOnly(Sniff.NOT_PROXY);
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreRuledOutWhereTheSignatureDiffers() {
        byte[] bytes = "\r\n\r\nGET / HTTP/1.1\r\n".getBytes(US_ASCII);
        assertThat(decidedAfter(bytes)).isEqualTo(5);
        assertThat(ProxyHeaderSniffer.sniff(bytes, 5)).isEqualTo(Sniff.NOT_PROXY);
    }

    @Test
    void neverNeedsMoreThanTheDecisiveLength() {
        Random random = new Random(7);
        String[] seeds = {"PROXY TCP4 ", "PROXY TCP6 ", "PROXY UNKNOWN", "PROXY ", "PRO", "\r\n\r\n\0\r\nQUIT\n", "\r\n"};
        for (int i = 0; i < 20_000; i++) {
            byte[] start = seeds[random.nextInt(seeds.length)].getBytes(US_ASCII);
            byte[] bytes = java.util.Arrays.copyOf(start, ProxyHeaderSniffer.DECISIVE_LENGTH);
            for (int j = random.nextInt(start.length + 1); j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextBoolean() ? random.nextInt(256) : "PROXY TCP46UNKW\r\n\0".charAt(random.nextInt(18)));
            }
            assertThat(ProxyHeaderSniffer.sniff(bytes, bytes.length)).isNotEqualTo(Sniff.UNDECIDED);
        }
    }

    private static boolean isNotProxy(Reason reason) {
        return reason == Reason.NOT_PROXY || reason == Reason.NOT_PROXY_HTTP || reason == Reason.NOT_PROXY_TLS;
    }

    /** Where the codec's decoder says NOT_PROXY*, the sniffer has ruled the header out too, no later. */
    @Test
    void agreesWithTheDecoderOnWhatIsNotAPROXYHeader() {
        Random random = new Random(11);
        String alphabet = "PROXY TCP4UNKW\r\n\0QIGET/";
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(16)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (int n = 1; n <= bytes.length; n++) {
                DecodeResult decoded = DECODER.decode(bytes, 0, n);
                boolean decoderRulesOut = decoded instanceof DecodeResult.Invalid invalid && isNotProxy(invalid.reason());
                Sniff sniff = ProxyHeaderSniffer.sniff(bytes, n);
                String input = HexFormat.of().formatHex(bytes, 0, n);
                if (decoderRulesOut) {
                    assertThat(sniff).as(input).isEqualTo(Sniff.NOT_PROXY);
                }
                if (sniff != Sniff.NOT_PROXY) {
                    assertThat(decoderRulesOut).as(input).isFalse();
                }
            }
        }
    }
}
