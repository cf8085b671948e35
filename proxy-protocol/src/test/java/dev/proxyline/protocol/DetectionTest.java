package dev.proxyline.protocol;

import static dev.proxyline.protocol.DecoderTesting.ascii;
import static dev.proxyline.protocol.DecoderTesting.decode;
import static dev.proxyline.protocol.DecoderTesting.hex;
import static dev.proxyline.protocol.DecoderTesting.refusedAfter;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Traffic that is not a PROXY header is refused as early as its bytes allow, with a hint when it is HTTP or TLS. */
class DetectionTest {

    @ParameterizedTest(name = "{0} after {1} byte(s)")
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1|1",
        "HEAD / HTTP/1.1|1",
        "DELETE /x HTTP/1.1|1",
        "CONNECT example.com:443 HTTP/1.1|1",
        "OPTIONS * HTTP/1.1|1",
        "TRACE / HTTP/1.1|1",
        "POST /form HTTP/1.1|2",
        "PUT /x HTTP/1.1|2",
        "PATCH /x HTTP/1.1|2",
        "PRI * HTTP/2.0|3",
    })
    void refusesAnHttpRequestAsSoonAsItCannotBePROXY(String request, int decidedAfter) {
        DecodeResult.Invalid invalid = refusedAfter(ascii(request + "\r\nHost: example\r\n\r\n"), decidedAfter, Reason.NOT_PROXY_HTTP);
        assertThat(invalid.offset()).isZero();
        assertThat(invalid.message()).contains("looks like an HTTP request").contains("is the balancer sending the PROXY protocol?");
    }

    @Test
    void refusesTheHttp2ConnectionPrefaceAfterThreeBytes() {
        byte[] preface = ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        refusedAfter(preface, 3, Reason.NOT_PROXY_HTTP);
        assertThat(((DecodeResult.Invalid) decode(preface)).reason()).isEqualTo(Reason.NOT_PROXY_HTTP);
    }

    @Test
    void refusesATlsClientHelloAfterOneByte() {
        byte[] hello = hex("16030100a5010000a10303");
        DecodeResult.Invalid invalid = refusedAfter(hello, 1, Reason.NOT_PROXY_TLS);
        assertThat(invalid.offset()).isZero();
        assertThat(invalid.message()).contains("TLS ClientHello").contains("\\x16");
        assertThat(((DecodeResult.Invalid) decode(hello)).message()).as("more of it shown when more arrived").contains("\\x16\\x03\\x01");
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"SSH-2.0-OpenSSH_9.6", "\u0000\u0000", " PROXY TCP4", "proxy tcp4", "xyz", "{\"json\":1}"})
    void refusesOtherTrafficAfterOneByte(String traffic) {
        DecodeResult.Invalid invalid = refusedAfter(ascii(traffic), 1, Reason.NOT_PROXY);
        assertThat(invalid.offset()).isZero();
        assertThat(invalid.message()).contains("expected \"PROXY \" or the v2 signature").contains("offset 0");
    }

    @ParameterizedTest(name = "{0} at offset {1}")
    @CsvSource({
        "PROXZ, 4",
        "PROPFIND / HTTP/1.1, 3",
        "PX, 1",
    })
    void refusesWhatOnlyStartsLikePROXYAtTheFirstByteThatDiffers(String traffic, int offset) {
        DecodeResult.Invalid invalid = refusedAfter(ascii(traffic), offset + 1, Reason.NOT_PROXY);
        assertThat(invalid.offset()).isEqualTo(offset);
    }

    @Test
    void refusesWhatOnlyStartsLikeTheV2SignatureAtTheFirstByteThatDiffers() {
        DecodeResult.Invalid invalid = refusedAfter(hex("0d0a0d0a010d0a515549540a2111000c7f0000017f000002005001bb"), 5, Reason.NOT_PROXY);
        assertThat(invalid.offset()).isEqualTo(4);
        refusedAfter(ascii("\r\nGET / HTTP/1.1\r\n"), 3, Reason.NOT_PROXY);
    }

    @Test
    void waitsWhileTheBytesCanStillBecomeAHeader() {
        byte[] v1 = ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 443\r\n");
        for (int n = 0; n < v1.length; n++) {
            assertThat(decode(Arrays.copyOf(v1, n))).as("%d bytes", n).isInstanceOf(DecodeResult.NeedMore.class);
        }
        byte[] v2 = hex("0d0a0d0a000d0a515549540a2111000c7f0000017f000002005001bb");
        for (int n = 0; n < v2.length; n++) {
            assertThat(decode(Arrays.copyOf(v2, n))).as("%d bytes", n).isInstanceOf(DecodeResult.NeedMore.class);
        }
    }

    @Test
    void theHintDoesNotDependOnHowManyBytesCameWithTheDecidingOne() {
        // "G" then anything is an HTTP hint whether or not the rest arrived; 0x16 is TLS whatever follows.
        assertThat(((DecodeResult.Invalid) decode(ascii("GX"))).reason()).isEqualTo(Reason.NOT_PROXY_HTTP);
        assertThat(((DecodeResult.Invalid) decode(hex("1699"))).reason()).isEqualTo(Reason.NOT_PROXY_TLS);
        assertThat(((DecodeResult.Invalid) decode(ascii("PRX"))).reason()).isEqualTo(Reason.NOT_PROXY);
    }
}
