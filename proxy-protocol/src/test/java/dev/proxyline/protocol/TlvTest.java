package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TLV records: what {@link Tlv#of} builds from wire bytes, what it refuses, and the typed accessors. */
class TlvTest {

    @ParameterizedTest(name = "type 0x{0} value {1} -> {2}")
    @CsvSource({
        "01, 6832, Alpn",
        "02, 6578616d706c652e636f6d, Authority",
        "03, 01020304, Crc32c",
        "04, '', Noop",
        "04, 000000, Noop",
        "05, 69642d31, UniqueId",
        "20, 0100000000, Ssl",
        "30, 6e73, Netns",
        "ea, 01767063652d31, AwsVpcEndpointId",
        "ea, 01, AwsVpcEndpointId",
        "ea, 02767063, Other",
        "ea, '', Other",
        "ee, 01c1450021, AzurePrivateLinkId",
        "ee, 02c1450021, Other",
        "ee, 01c14500, Other",
        "e0, ffffffffc0a86402, GcpPscConnectionId",
        "e0, ffffffffc0a864, Other",
        "e1, 00, Other",
        "06, 00, Other",
        "21, 00, Other",
        "f0, 657870, Other",
        "ff, '', Other",
    })
    void ofBuildsTheRecordOfEachTypeAndKeepsTheWireValue(String type, String hex, String record) {
        Bytes value = Bytes.fromHex(hex);
        Tlv tlv = Tlv.of(Integer.parseInt(type, 16), value);
        assertThat(tlv.getClass().getSimpleName()).isEqualTo(record);
        assertThat(tlv.type()).isEqualTo(Integer.parseInt(type, 16));
        assertThat(tlv.value()).isEqualTo(value);
        assertThat(tlv.encodedLength()).isEqualTo(3 + value.length());
    }

    @ParameterizedTest(name = "type {0} value of {1} bytes")
    @CsvSource({
        "3, 0", "3, 3", "3, 5",
        "5, 129", "5, 65535",
        "32, 0", "32, 4",
        "-1, 0", "256, 0",
        "1, 65536",
    })
    void ofRefusesValuesThatBreakTheirTypesRules(int type, int length) {
        assertThatThrownBy(() -> Tlv.of(type, Bytes.of(new byte[length]))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sub-TLV running past the SSL value, 0100000000210005544c53",
        "one stray byte, 010000000021",
        "two stray bytes, 01000000002100",
    })
    void ofRefusesMalformedSslSubTlvs(String what, String hex) {
        assertThatThrownBy(() -> Tlv.of(Tlv.TYPE_SSL, Bytes.fromHex(hex)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SSL sub-TLV");
    }

    @Test
    void sslAccessorsReadEveryRegisteredSubType() {
        Tlv.Ssl ssl = new Tlv.Ssl(Tlv.Ssl.CLIENT_SSL | Tlv.Ssl.CLIENT_CERT_CONN | Tlv.Ssl.CLIENT_CERT_SESS, 0, List.of(
                sub(SslSubTlv.VERSION, "TLSv1.3"),
                sub(SslSubTlv.CN, "client.example"),
                sub(SslSubTlv.CIPHER, "TLS_AES_128_GCM_SHA256"),
                sub(SslSubTlv.SIG_ALG, "RSA-SHA256"),
                sub(SslSubTlv.KEY_ALG, "RSA2048"),
                sub(SslSubTlv.GROUP, "secp256r1"),
                sub(SslSubTlv.SIG_SCHEME, "rsa_pss_rsae_sha256"),
                new SslSubTlv(SslSubTlv.CLIENT_CERT, Bytes.fromHex("3082010a02820101"))));
        assertThat(ssl.isSsl()).isTrue();
        assertThat(ssl.clientCertificateOnConnection()).isTrue();
        assertThat(ssl.clientCertificateInSession()).isTrue();
        assertThat(ssl.verified()).isTrue();
        assertThat(ssl.version()).contains("TLSv1.3");
        assertThat(ssl.commonName()).contains("client.example");
        assertThat(ssl.cipher()).contains("TLS_AES_128_GCM_SHA256");
        assertThat(ssl.signatureAlgorithm()).contains("RSA-SHA256");
        assertThat(ssl.keyAlgorithm()).contains("RSA2048");
        assertThat(ssl.group()).contains("secp256r1");
        assertThat(ssl.signatureScheme()).contains("rsa_pss_rsae_sha256");
        assertThat(ssl.clientCertificate()).contains(Bytes.fromHex("3082010a02820101"));
        assertThat(ssl.subTlv(0x29)).isEmpty();
        // The wire form: client, verify big-endian, then the sub-TLVs in order; and back.
        assertThat(ssl.value().toHex()).startsWith("0700000000" + "210007" + "544c5376312e33");
        assertThat(Tlv.of(Tlv.TYPE_SSL, ssl.value())).isEqualTo(ssl);
    }

    @Test
    void sslWithoutACertificateReportsNothingVerified() {
        Tlv.Ssl ssl = (Tlv.Ssl) Tlv.of(Tlv.TYPE_SSL, Bytes.fromHex("0112345678"));
        assertThat(ssl.isSsl()).isTrue();
        assertThat(ssl.clientCertificateOnConnection()).isFalse();
        assertThat(ssl.clientCertificateInSession()).isFalse();
        assertThat(ssl.verify()).isEqualTo(0x12345678L);
        assertThat(ssl.verified()).isFalse();
        assertThat(ssl.version()).isEmpty();
        assertThat(ssl.clientCertificate()).isEmpty();
        Tlv.Ssl maxVerify = (Tlv.Ssl) Tlv.of(Tlv.TYPE_SSL, Bytes.fromHex("00ffffffff"));
        assertThat(maxVerify.verify()).as("unsigned 32 bits").isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void sslValidatesItsFields() {
        assertThatThrownBy(() -> new Tlv.Ssl(256, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlv.Ssl(-1, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlv.Ssl(0, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlv.Ssl(0, 0x1_0000_0000L, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SslSubTlv(256, Bytes.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SslSubTlv(0x21, Bytes.of(new byte[65536]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void awsCarriesTheVpcEndpointIdAfterSubTypeOne() {
        Tlv.AwsVpcEndpointId aws = (Tlv.AwsVpcEndpointId) Tlv.of(0xEA, Bytes.fromHex("01767063652d3038643262663135666163353030316339"));
        assertThat(aws.id()).isEqualTo("vpce-08d2bf15fac5001c9");
        assertThat(Tlv.AwsVpcEndpointId.of("vpce-1").value().toHex()).isEqualTo("01" + "767063652d31");
        assertThat(Tlv.AwsVpcEndpointId.of("vpce-1").type()).isEqualTo(0xEA);
    }

    @Test
    void azureCarriesTheLinkIdLittleEndian() {
        Tlv.AzurePrivateLinkId azure = (Tlv.AzurePrivateLinkId) Tlv.of(0xEE, Bytes.fromHex("01c1450021"));
        assertThat(azure.linkId()).isEqualTo(0x210045C1L).isEqualTo(553665985L);
        Tlv.AzurePrivateLinkId max = (Tlv.AzurePrivateLinkId) Tlv.of(0xEE, Bytes.fromHex("01ffffffff"));
        assertThat(max.linkId()).as("unsigned").isEqualTo(0xFFFF_FFFFL);
        assertThat(new Tlv.AzurePrivateLinkId(0x01020304L).value().toHex()).isEqualTo("0104030201");
        assertThatThrownBy(() -> new Tlv.AzurePrivateLinkId(0x1_0000_0000L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlv.AzurePrivateLinkId(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gcpCarriesAnUnsignedBigEndian64BitConnectionId() {
        Tlv.GcpPscConnectionId gcp = (Tlv.GcpPscConnectionId) Tlv.of(0xE0, Bytes.fromHex("ffffffffc0a86402"));
        assertThat(gcp.connectionId()).isEqualTo(0xFFFF_FFFF_C0A8_6402L);
        assertThat(gcp.unsignedId()).isEqualTo("18446744072646845442");
        assertThat(new Tlv.GcpPscConnectionId(0x0102030405060708L).value().toHex()).isEqualTo("0102030405060708");
    }

    @Test
    void textAccessorsDecodeTheirCharsets() {
        assertThat(Tlv.Alpn.of("http/1.1").protocolName()).isEqualTo("http/1.1");
        assertThat(Tlv.Authority.of("bücher.example").hostName()).isEqualTo("bücher.example");
        assertThat(Tlv.Authority.of("bücher.example").value()).isEqualTo(Bytes.of("bücher.example", StandardCharsets.UTF_8));
        assertThat(Tlv.Netns.of("blue").name()).isEqualTo("blue");
        assertThat(new Tlv.Authority(Bytes.fromHex("ff")).hostName()).as("malformed UTF-8 is replaced, never thrown").isEqualTo("\ufffd");
    }

    @Test
    void crc32cValueIsTheChecksumBigEndian() {
        assertThat(new Tlv.Crc32c(0x54FDC6FF).value().toHex()).isEqualTo("54fdc6ff");
        assertThat(((Tlv.Crc32c) Tlv.of(3, Bytes.fromHex("e3069283"))).checksum()).isEqualTo(0xE3069283);
        assertThat(Tlv.Crc32c.PLACEHOLDER.checksum()).isZero();
        assertThat(new Tlv.Crc32c(0x0A).toString()).contains("0000000a");
    }

    @Test
    void uniqueIdHoldsAtMost128Bytes() {
        assertThat(new Tlv.UniqueId(Bytes.of(new byte[128])).id().length()).isEqualTo(128);
        assertThatThrownBy(() -> new Tlv.UniqueId(Bytes.of(new byte[129]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noopOfLengthIsZeroPadding() {
        assertThat(Tlv.Noop.ofLength(3).value()).isEqualTo(Bytes.fromHex("000000"));
    }

    @Test
    void otherKeepsAnyTypeByteRaw() {
        assertThat(new Tlv.Other(0xF8, Bytes.fromHex("667574")).value().toHex()).isEqualTo("667574");
        assertThatThrownBy(() -> new Tlv.Other(256, Bytes.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlv.Other(-1, Bytes.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherRefusesRegisteredTypesWhichHaveTheirOwnRecords() {
        for (int type : new int[] {0x01, 0x02, 0x03, 0x04, 0x05, 0x20, 0x30}) {
            assertThatThrownBy(() -> new Tlv.Other(type, Bytes.EMPTY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered");
        }
        assertThat(new Tlv.Other(0x21, Bytes.EMPTY).type()).isEqualTo(0x21);
    }

    @Test
    void headerFindsTlvsByRecordAndByTypeByte() {
        ProxyHeader header = ProxyHeader.local(ProtocolVersion.V2, List.of(Tlv.Alpn.of("h2"), Tlv.Authority.of("a.example"),
                new Tlv.Other(0xF0, Bytes.EMPTY)));
        assertThat(header.tlv(Tlv.Authority.class).map(Tlv.Authority::hostName)).contains("a.example");
        assertThat(header.tlv(Tlv.Ssl.class)).isEmpty();
        assertThat(header.tlv(0xF0)).contains(new Tlv.Other(0xF0, Bytes.EMPTY));
        assertThat(header.tlv(Tlv.TYPE_ALPN)).contains(Tlv.Alpn.of("h2"));
        assertThat(header.tlv(0x30)).isEmpty();
    }

    @Test
    void bytesHaveValueSemanticsAndShortStrings() {
        assertThat(Bytes.fromHex("0a0b")).isEqualTo(Bytes.of((byte) 10, (byte) 11)).hasSameHashCodeAs(Bytes.of((byte) 10, (byte) 11));
        assertThat(Bytes.of(new byte[100]).toString()).contains("(100 bytes)");
        byte[] source = {1, 2, 3};
        Bytes copy = Bytes.of(source);
        source[0] = 9;
        assertThat(copy.unsignedAt(0)).as("a copy, not a view").isEqualTo(1);
    }

    private static SslSubTlv sub(int type, String text) {
        return new SslSubTlv(type, Bytes.of(text, StandardCharsets.US_ASCII));
    }
}
