package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderTest {
    private static final HexFormat HEX = HexFormat.of();

    private static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(InetLiterals.parseOrThrow(address, "address"), port);
    }

    private static String text(ProxyHeader header) {
        return new String(ProxyHeaderEncoder.encode(header), StandardCharsets.US_ASCII);
    }

    @Test
    void writesATcp4Line() {
        assertThat(text(ProxyHeader.tcp(ProtocolVersion.V1, at("192.0.2.1", 51234), at("10.0.0.30", 443))))
                .isEqualTo("PROXY TCP4 192.0.2.1 10.0.0.30 51234 443\r\n");
    }

    @Test
    void writesTcp6AddressesAsRfc5952Text() {
        assertThat(text(ProxyHeader.tcp(ProtocolVersion.V1, at("2001:0DB8:0:0:0:0:0:0001", 0), at("::ffff:7f00:1", 65535))))
                .isEqualTo("PROXY TCP6 2001:db8::1 ::ffff:127.0.0.1 0 65535\r\n");
    }

    @Test
    void promotesMixedFamiliesToTcp6WithAMappedAddress() {
        ProxyHeader header = ProxyHeader.tcp(ProtocolVersion.V1, at("192.0.2.1", 1), at("2001:db8::1", 2));
        assertThat(header.family()).isEqualTo(AddressFamily.INET6);
        assertThat(text(header)).isEqualTo("PROXY TCP6 ::ffff:192.0.2.1 2001:db8::1 1 2\r\n");
    }

    @Test
    void writesUnknownForWhatV1CannotCarry() {
        assertThat(text(ProxyHeader.local(ProtocolVersion.V1, List.of()))).isEqualTo("PROXY UNKNOWN\r\n");
        assertThat(text(ProxyHeader.unknown(ProtocolVersion.V1, List.of()))).isEqualTo("PROXY UNKNOWN\r\n");
        assertThat(text(ProxyHeader.proxy(ProtocolVersion.V1, TransportProtocol.DGRAM, at("10.0.0.1", 53), at("10.0.0.2", 53), List.of())))
                .isEqualTo("PROXY UNKNOWN\r\n");
        assertThat(text(ProxyHeader.unix(ProtocolVersion.V1, TransportProtocol.STREAM,
                new Endpoints.Unix(Bytes.of("/a", StandardCharsets.US_ASCII), Bytes.EMPTY), List.of()))).isEqualTo("PROXY UNKNOWN\r\n");
    }

    @Test
    void refusesTlvsInAV1Header() {
        ProxyHeader header = ProxyHeader.proxy(ProtocolVersion.V1, TransportProtocol.STREAM, at("1.2.3.4", 1), at("5.6.7.8", 2),
                List.of(Tlv.Alpn.of("h2")));
        assertThatThrownBy(() -> ProxyHeaderEncoder.encode(header))
                .isInstanceOfSatisfying(ProxyEncodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ENCODABLE))
                .hasMessageContaining("v1").hasMessageContaining("TLV");
        assertThatThrownBy(() -> ProxyHeaderEncoder.encodedLength(header)).isInstanceOf(ProxyEncodeException.class);
    }

    @Test
    void writesAHealthCheckAsHaproxyDoes() {
        assertThat(HEX.formatHex(ProxyHeaderEncoder.encode(ProxyHeader.local(ProtocolVersion.V2, List.of()))))
                .isEqualTo("0d0a0d0a000d0a515549540a20000000");
    }

    @Test
    void writesUnixPathsPaddedWithNuls() {
        ProxyHeader header = ProxyHeader.unix(ProtocolVersion.V2, TransportProtocol.STREAM,
                new Endpoints.Unix(Bytes.of("/src", StandardCharsets.US_ASCII), Bytes.of("/dst", StandardCharsets.US_ASCII)), List.of());
        byte[] encoded = ProxyHeaderEncoder.encode(header);
        assertThat(encoded).hasSize(16 + 216);
        assertThat(HEX.formatHex(encoded, 12, 20)).isEqualTo("213100d8" + "2f737263");
        assertThat(HEX.formatHex(encoded, 16 + 108, 16 + 112)).isEqualTo("2f647374");
        assertThat(new ProxyHeaderDecoder().decode(encoded)).isEqualTo(new DecodeResult.Complete(header, 232));
    }

    @Test
    void refusesUnixPathsLongerThan108Bytes() {
        Bytes path = Bytes.of(new byte[109]);
        assertThatThrownBy(() -> new Endpoints.Unix(path, Bytes.EMPTY))
                .isInstanceOfSatisfying(ProxyEncodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PATH_TOO_LONG))
                .hasMessageContaining("109");
        assertThat(new Endpoints.Unix(Bytes.of(new byte[108]), Bytes.EMPTY).sourcePath().length()).isEqualTo(108);
    }

    @Test
    void refusesPortsOutside0To65535() {
        assertThatThrownBy(() -> Endpoints.Inet.of(InetLiterals.parseOrThrow("1.2.3.4", "a"), 65536, InetLiterals.parseOrThrow("1.2.3.4", "a"), 1))
                .isInstanceOfSatisfying(ProxyEncodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PORT_OUT_OF_RANGE));
        assertThatThrownBy(() -> Endpoints.Inet.of(InetLiterals.parseOrThrow("1.2.3.4", "a"), 1, InetLiterals.parseOrThrow("1.2.3.4", "a"), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNamesInPlaceOfAddresses() {
        assertThatThrownBy(() -> new Endpoints.Inet(InetSocketAddress.createUnresolved("example.com", 1), at("1.2.3.4", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example.com");
    }

    @Test
    void refusesATlvValueLongerThan65535Bytes() {
        ProxyHeader header = ProxyHeader.unknown(ProtocolVersion.V2, List.of(new Tlv.Noop(Bytes.of(new byte[65536]))));
        assertThatThrownBy(() -> ProxyHeaderEncoder.encode(header))
                .isInstanceOfSatisfying(ProxyEncodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HEADER_TOO_LONG))
                .hasMessageContaining("65536");
    }

    @Test
    void refusesABlockLongerThan65535Bytes() {
        ProxyHeader fits = ProxyHeader.unknown(ProtocolVersion.V2, List.of(new Tlv.Noop(Bytes.of(new byte[65532]))));
        assertThat(ProxyHeaderEncoder.encode(fits)).hasSize(ProxyHeaderDecoder.V2_MAX_LENGTH);
        ProxyHeader over = ProxyHeader.tcp(ProtocolVersion.V2, at("1.2.3.4", 1), at("5.6.7.8", 2))
                .withTlvs(List.of(new Tlv.Noop(Bytes.of(new byte[40000])), new Tlv.Noop(Bytes.of(new byte[25518]))));
        assertThatThrownBy(() -> ProxyHeaderEncoder.encode(over))
                .isInstanceOfSatisfying(ProxyEncodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HEADER_TOO_LONG))
                .hasMessageContaining("65536");
    }

    @Test
    void refusesASecondChecksum() {
        ProxyHeader header = ProxyHeader.local(ProtocolVersion.V2, List.of(Tlv.Crc32c.PLACEHOLDER, Tlv.Crc32c.PLACEHOLDER));

        assertThatThrownBy(() -> ProxyHeaderEncoder.encode(header))
                .isInstanceOfSatisfying(ProxyEncodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ENCODABLE))
                .hasMessageContaining("at most one CRC32C");
    }

    @Test
    void fillsInTheChecksumWhereverItStands() {
        for (int position = 0; position < 3; position++) {
            List<Tlv> tlvs = new java.util.ArrayList<>(List.of(Tlv.Alpn.of("h2"), Tlv.Authority.of("example.com")));
            tlvs.add(position, Tlv.Crc32c.PLACEHOLDER);
            ProxyHeader header = ProxyHeader.tcp(ProtocolVersion.V2, at("127.0.0.1", 80), at("127.0.0.2", 443)).withTlvs(tlvs);
            DecodeResult decoded = new ProxyHeaderDecoder().decode(ProxyHeaderEncoder.encode(header));
            assertThat(decoded).as("checksum at TLV %d verifies", position).isInstanceOf(DecodeResult.Complete.class);
            Tlv.Crc32c crc = ((DecodeResult.Complete) decoded).header().tlv(Tlv.Crc32c.class).orElseThrow();
            assertThat(crc.checksum()).isNotZero();
        }
    }

    @Test
    void matchesTheChecksumOfTheCrcNotFirstVector() {
        ProxyHeader header = ProxyHeader.tcp(ProtocolVersion.V2, at("127.0.0.1", 80), at("127.0.0.2", 443))
                .withTlvs(List.of(Tlv.Authority.of("example.com"), Tlv.Crc32c.PLACEHOLDER, Tlv.Alpn.of("h2")));
        assertThat(HEX.formatHex(ProxyHeaderEncoder.encode(header)))
                .isEqualTo("0d0a0d0a000d0a515549540a211100267f0000017f000002005001bb02000b6578616d706c652e636f6d030004cc255e230100026832");
    }

    @Test
    void writesBigEndianIntoALittleEndianBufferAtItsPosition() {
        ProxyHeader header = ProxyHeader.tcp(ProtocolVersion.V2, at("127.0.0.1", 80), at("127.0.0.2", 443))
                .withTlvs(List.of(Tlv.Crc32c.PLACEHOLDER));
        byte[] expected = ProxyHeaderEncoder.encode(header);
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).position(7);
        ProxyHeaderEncoder.encode(header, out);
        assertThat(out.position()).isEqualTo(7 + expected.length);
        byte[] written = new byte[expected.length];
        out.get(7, written);
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void keepsTheFamilyALocalHeaderAnnouncedWithAZeroedAddressBlock() {
        byte[] nlbHealthCheck = HEX.parseHex("0d0a0d0a000d0a515549540a2011000c0a0000010a000002c35001bb");
        ProxyHeader decoded = ((DecodeResult.Complete) new ProxyHeaderDecoder().decode(nlbHealthCheck)).header();
        byte[] again = ProxyHeaderEncoder.encode(decoded);
        assertThat(HEX.formatHex(again)).isEqualTo("0d0a0d0a000d0a515549540a2011000c" + "00".repeat(12));
        assertThat(new ProxyHeaderDecoder().decode(again)).isEqualTo(new DecodeResult.Complete(decoded, 28));
    }

    @Test
    void encodedLengthIsWhatEncodeWrites() {
        ProxyHeader v1 = ProxyHeader.tcp(ProtocolVersion.V1, at("2001:db8::1", 1), at("2001:db8::2", 2));
        assertThat(ProxyHeaderEncoder.encodedLength(v1)).isEqualTo(ProxyHeaderEncoder.encode(v1).length);
        ProxyHeader v2 = ProxyHeader.tcp(ProtocolVersion.V2, at("2001:db8::1", 1), at("2001:db8::2", 2))
                .withTlvs(List.of(Tlv.Alpn.of("h2")));
        assertThat(ProxyHeaderEncoder.encodedLength(v2)).isEqualTo(16 + 36 + 5);
    }

    /**
     * The TCP4 fast path against plain string formatting: every octet value in every position and the
     * port edges, into a byte[] and into buffers full of junk at an offset, where nothing after the line may change.
     */
    @Test
    void writesEveryTcp4OctetAndPortAsText() {
        int[] ports = {0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 65535};
        for (int value = 0; value < 256; value++) {
            for (int position = 0; position < 8; position++) {
                int[] octets = {1, 22, 133, 4, 205, 6, 7, 8};
                octets[position] = value;
                for (int p = 0; p < ports.length; p++) {
                    int sourcePort = ports[p];
                    int destinationPort = ports[(p + value) % ports.length];
                    String source = octets[0] + "." + octets[1] + "." + octets[2] + "." + octets[3];
                    String destination = octets[4] + "." + octets[5] + "." + octets[6] + "." + octets[7];
                    String expected = "PROXY TCP4 " + source + " " + destination + " " + sourcePort + " "
                            + destinationPort + "\r\n";
                    ProxyHeader header = ProxyHeader.tcp(ProtocolVersion.V1, at(source, sourcePort),
                            at(destination, destinationPort));
                    assertThat(text(header)).isEqualTo(expected);
                    assertThat(ProxyHeaderEncoder.encodedLength(header)).isEqualTo(expected.length());
                    ByteBuffer buffer = ByteBuffer.allocate(7 + 56 + 3);
                    java.util.Arrays.fill(buffer.array(), (byte) 'x');
                    buffer.position(7);
                    ProxyHeaderEncoder.encode(header, buffer);
                    assertThat(new String(buffer.array(), 7, buffer.position() - 7, StandardCharsets.US_ASCII))
                            .isEqualTo(expected);
                    for (int i = buffer.position(); i < buffer.capacity(); i++) {
                        assertThat(buffer.array()[i]).as("byte %d, after the line", i).isEqualTo((byte) 'x');
                    }
                }
            }
        }
    }
}
