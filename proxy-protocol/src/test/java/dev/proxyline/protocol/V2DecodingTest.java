package dev.proxyline.protocol;

import static dev.proxyline.protocol.DecoderTesting.complete;
import static dev.proxyline.protocol.DecoderTesting.decode;
import static dev.proxyline.protocol.DecoderTesting.hex;
import static dev.proxyline.protocol.DecoderTesting.invalid;
import static dev.proxyline.protocol.DecoderTesting.refusedAfter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The v2 binary header (spec §2.2) and its TLVs beyond what the public vectors pin down. */
class V2DecodingTest {
    private static final String SIGNATURE = "0d0a0d0a000d0a515549540a";
    private static final String TCP4_BLOCK = "7f0000017f000002005001bb";

    /** A v2 header: signature, the two given bytes, the length of {@code block}, then the block. */
    static byte[] v2(String verCmd, String famProto, String block) {
        String clean = block.replace(" ", "");
        return hex(SIGNATURE + verCmd + famProto + String.format("%04x", clean.length() / 2) + clean);
    }

    /** {@code header} with the CRC32C value at {@code valueAt} filled in. */
    static byte[] withChecksum(byte[] header, int valueAt) {
        byte[] copy = header.clone();
        Arrays.fill(copy, valueAt, valueAt + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(copy);
        ByteBuffer.wrap(copy).putInt(valueAt, (int) crc.getValue());
        return copy;
    }

    @ParameterizedTest(name = "0x{0}")
    @CsvSource({"11, 12", "12, 12", "21, 36", "22, 36", "31, 216", "32, 216"})
    void acceptsEveryListedFamilyAndTransport(String famProto, int addressLength) {
        byte[] header = v2("21", famProto, "00".repeat(addressLength));
        DecodeResult.Complete complete = complete(header);
        assertThat(complete.length()).isEqualTo(16 + addressLength);
        assertThat(complete.header().family().code() << 4 | complete.header().transport().code())
                .isEqualTo(Integer.parseInt(famProto, 16));
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(strings = {"01", "02", "10", "20", "30", "13", "23", "33", "03", "41", "51", "f1", "14", "ff"})
    void refusesUnlistedAndInvalidFamilyTransportBytesForProxyAndLocalAlike(String famProto) {
        for (String verCmd : new String[] {"21", "20"}) {
            byte[] header = v2(verCmd, famProto, "00".repeat(216));
            DecodeResult.Invalid invalid = refusedAfter(header, 14, Reason.V2_BAD_FAMILY);
            assertThat(invalid.offset()).isEqualTo(13);
            assertThat(invalid.message()).contains("0x" + famProto).contains("offset 13").contains("expected one of 00, 11, 12, 21, 22, 31, 32");
        }
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(strings = {"01", "11", "31", "f1", "00", "10", "e0"})
    void refusesEveryVersionButTwoAfterThirteenBytes(String verCmd) {
        DecodeResult.Invalid invalid = refusedAfter(v2(verCmd, "11", TCP4_BLOCK), 13, Reason.V2_BAD_VERSION);
        assertThat(invalid.offset()).isEqualTo(12);
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(strings = {"22", "23", "2f"})
    void refusesCommandsOtherThanLocalAndProxy(String verCmd) {
        refusedAfter(v2(verCmd, "11", TCP4_BLOCK), 13, Reason.V2_BAD_COMMAND);
    }

    @Test
    void refusesAProxyHeaderTooShortForItsAddressesAsSoonAsTheLengthArrives() {
        byte[] header = v2("21", "21", TCP4_BLOCK); // TCP6 needs 36 bytes
        DecodeResult.Invalid invalid = refusedAfter(header, 16, Reason.V2_BAD_LENGTH);
        assertThat(invalid.offset()).isEqualTo(14);
        assertThat(invalid.message()).contains("36");
        refusedAfter(v2("21", "11", "7f000001"), 16, Reason.V2_BAD_LENGTH);
        refusedAfter(v2("21", "31", "00".repeat(215)), 16, Reason.V2_BAD_LENGTH);
    }

    @Test
    void acceptsALocalHealthCheckWithAnAddressBlockAndUsesNoneOfIt() {
        // AWS NLB style: LOCAL, TCP over IPv4, a full address block.
        DecodeResult.Complete complete = complete(hex(SIGNATURE + "2011000c" + TCP4_BLOCK + "474554"));
        assertThat(complete.length()).isEqualTo(28);
        ProxyHeader header = complete.header();
        assertThat(header.command()).isEqualTo(Command.LOCAL);
        assertThat(header.family()).isEqualTo(AddressFamily.INET);
        assertThat(header.useConnectionAddresses()).isTrue();
        assertThat(header.sourceAddress()).isEmpty();
        assertThat(header.endpoints()).isEqualTo(Endpoints.Unspecified.INSTANCE);
    }

    @Test
    void keepsTheBlockOfALocalHeaderOpaqueWhenItIsShorterThanItsAddresses() {
        ProxyHeader header = complete(v2("20", "21", "0102030405")).header();
        assertThat(header.tlvs()).isEmpty();
        assertThat(header.opaqueBlock()).isEqualTo(Bytes.fromHex("0102030405"));
    }

    @Test
    void readsTheTlvsOfALocalHeader() {
        ProxyHeader header = complete(v2("20", "00", "0100026832")).header();
        assertThat(header.tlvs()).containsExactly(Tlv.Alpn.of("h2"));
        assertThat(header.opaqueBlock()).isEqualTo(Bytes.EMPTY);
    }

    @Test
    void verifiesTheChecksumOfALocalHeaderToo() {
        byte[] header = withChecksum(v2("20", "00", "03000400000000"), 19);
        assertThat(complete(header).header().tlv(Tlv.Crc32c.class)).isPresent();
        header[15 + 4] ^= 1;
        invalid(header, Reason.CRC32C_MISMATCH);
    }

    @Test
    void takesAUnixPathUpToItsFirstNulOrAllOf108Bytes() {
        String full = "61".repeat(108);
        String withNul = "2f78" + "00" + "79".repeat(105);
        Endpoints.Unix unix = (Endpoints.Unix) complete(v2("21", "31", full + withNul)).header().endpoints();
        assertThat(unix.sourcePath().length()).isEqualTo(108);
        assertThat(unix.destinationPath()).isEqualTo(Bytes.fromHex("2f78"));
    }

    @Test
    void readsPortsAndLengthsAsUnsigned() {
        ProxyHeader header = complete(v2("21", "11", "ffffffff80000001" + "8000ffff")).header();
        assertThat(header.sourceAddress().orElseThrow().getPort()).isEqualTo(0x8000);
        assertThat(header.destinationAddress().orElseThrow().getPort()).isEqualTo(0xFFFF);
        byte[] bigNoop = v2("21", "00", "048000" + "00".repeat(0x8000));
        assertThat(complete(bigNoop).header().tlvs()).containsExactly(Tlv.Noop.ofLength(0x8000));
    }

    @Test
    void acceptsTheLargestHeaderTheLengthFieldAllows() {
        byte[] largest = v2("21", "00", "04fffc" + "00".repeat(0xFFFC));
        assertThat(largest).hasSize(ProxyHeaderDecoder.V2_MAX_LENGTH);
        assertThat(complete(largest).length()).isEqualTo(ProxyHeaderDecoder.V2_MAX_LENGTH);
    }

    @Test
    void refusesHeadersOverTheConfiguredMaximumAsSoonAsTheLengthArrives() {
        ProxyHeaderDecoder defaults = new ProxyHeaderDecoder();
        assertThat(defaults.maxHeaderLength()).isEqualTo(ProxyHeaderDecoder.DEFAULT_MAX_HEADER_LENGTH);
        byte[] fits = v2("21", "11", TCP4_BLOCK + "04" + String.format("%04x", 4096 - 31) + "00".repeat(4096 - 31));
        assertThat(fits).hasSize(4096);
        assertThat(defaults.decode(fits)).isInstanceOf(DecodeResult.Complete.class);
        byte[] over = v2("21", "11", TCP4_BLOCK + "04" + String.format("%04x", 4097 - 31) + "00".repeat(4097 - 31));
        assertThat(defaults.decode(Arrays.copyOf(over, 15))).isInstanceOf(DecodeResult.NeedMore.class);
        DecodeResult result = defaults.decode(Arrays.copyOf(over, 16));
        assertThat(result).isInstanceOf(DecodeResult.Invalid.class);
        DecodeResult.Invalid invalid = (DecodeResult.Invalid) result;
        assertThat(invalid.reason()).isEqualTo(Reason.V2_TOO_LONG);
        assertThat(invalid.offset()).isEqualTo(14);
        assertThat(invalid.message()).contains("4097").contains("4096");

        ProxyHeaderDecoder small = new ProxyHeaderDecoder(200);
        assertThat(small.decode(v2("21", "11", TCP4_BLOCK + "04" + String.format("%04x", 200 - 31) + "00".repeat(200 - 31))))
                .isInstanceOf(DecodeResult.Complete.class);
        assertThat(small.decode(v2("21", "31", "00".repeat(216)))).isInstanceOf(DecodeResult.Invalid.class);
        // v1 is never affected: a line is at most 107 bytes.
        assertThat(new ProxyHeaderDecoder(ProxyHeaderDecoder.V1_MAX_LENGTH).decode(DecoderTesting.ascii("PROXY TCP4 1.2.3.4 5.6.7.8 80 443\r\n")))
                .isInstanceOf(DecodeResult.Complete.class);
    }

    @Test
    void refusesAMaximumOutsideWhatTheProtocolAllows() {
        assertThatThrownBy(() -> new ProxyHeaderDecoder(106)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeaderDecoder(ProxyHeaderDecoder.V2_MAX_LENGTH + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ProxyHeaderDecoder(107).maxHeaderLength()).isEqualTo(107);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "one stray byte, 01, 28",
        "two stray bytes, 0100, 28",
        "a TLV running past the header, 0100056832, 28",
        "stray bytes after a TLV, 010002683202, 33",
        "a length of 0xffff, 02ffff00, 28",
    })
    void refusesATlvAreaThatDoesNotEndOnATlvBoundary(String what, String tlvs, int offset) {
        DecodeResult.Invalid invalid = invalid(v2("21", "11", TCP4_BLOCK + tlvs), Reason.TLV_MALFORMED);
        assertThat(invalid.offset()).isEqualTo(offset);
        assertThat(invalid.message()).contains("offset " + offset);
    }

    @Test
    void acceptsAZeroLengthTlvAtTheVeryEnd() {
        assertThat(complete(v2("21", "11", TCP4_BLOCK + "040000")).header().tlvs()).containsExactly(new Tlv.Noop(Bytes.EMPTY));
    }

    @Test
    void refusesUniqueIdsLongerThan128Bytes() {
        assertThat(complete(v2("21", "11", TCP4_BLOCK + "050080" + "61".repeat(128))).header().tlv(Tlv.UniqueId.class)).isPresent();
        DecodeResult.Invalid invalid = invalid(v2("21", "11", TCP4_BLOCK + "050081" + "61".repeat(129)), Reason.TLV_BAD_VALUE);
        assertThat(invalid.offset()).isEqualTo(28);
        assertThat(invalid.message()).contains("129").contains("128");
    }

    @ParameterizedTest(name = "CRC32C of {0} bytes")
    @ValueSource(ints = {0, 2, 3, 5, 8})
    void refusesAChecksumThatIsNotFourBytes(int length) {
        invalid(v2("21", "11", TCP4_BLOCK + "03" + String.format("%04x", length) + "00".repeat(length)), Reason.TLV_BAD_VALUE);
    }

    @Test
    void refusesASecondChecksum() {
        byte[] header = v2("21", "11", TCP4_BLOCK + "03000400000000" + "03000400000000");
        invalid(header, Reason.TLV_BAD_VALUE);
    }

    @Test
    void saysBothChecksumsWhenTheyDiffer() {
        byte[] header = withChecksum(v2("21", "11", TCP4_BLOCK + "03000400000000"), 31);
        String good = HexFormat.of().formatHex(header, 31, 35);
        header[16] ^= 0x01;
        DecodeResult.Invalid invalid = invalid(header, Reason.CRC32C_MISMATCH);
        assertThat(invalid.offset()).isEqualTo(31);
        assertThat(invalid.message()).contains(good).contains("offset 31");
    }

    @Test
    void acceptsAnSslTlvOfExactlyFiveBytes() {
        Tlv.Ssl ssl = complete(v2("21", "11", TCP4_BLOCK + "2000050100000000")).header().tlv(Tlv.Ssl.class).orElseThrow();
        assertThat(ssl.subTlvs()).isEmpty();
        assertThat(ssl.isSsl()).isTrue();
        assertThat(ssl.verified()).isTrue();
    }

    @Test
    void refusesMalformedSslSubTlvsAndSaysWhere() {
        DecodeResult.Invalid invalid = invalid(v2("21", "11", TCP4_BLOCK + "200009" + "0100000000" + "210005"
                + "41"), Reason.TLV_MALFORMED);
        assertThat(invalid.offset()).isEqualTo(36);
        assertThat(invalid.message()).contains("SSL sub-TLV").contains("offset 36");
    }

    @Test
    void leavesASecondSignatureAndTlvLookalikesInThePayload() {
        byte[] first = v2("21", "11", TCP4_BLOCK);
        byte[] wire = Arrays.copyOf(first, first.length * 2 + 3);
        System.arraycopy(first, 0, wire, first.length, first.length);
        DecodeResult.Complete complete = complete(wire);
        assertThat(complete.length()).isEqualTo(28);
        assertThat(complete.header().tlvs()).isEmpty();
    }

    @Test
    void readsThePositionedPartOfAByteBufferAndLeavesItAsItWas() {
        byte[] header = withChecksum(v2("21", "11", TCP4_BLOCK + "03000400000000"), 31);
        ByteBuffer buffer = ByteBuffer.allocate(header.length + 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.position(9).put(header).put(new byte[] {1, 2, 3}).flip().position(9);
        DecodeResult result = DecoderTesting.DECODER.decode(buffer);
        assertThat(result).isEqualTo(decode(header));
        assertThat(buffer.position()).isEqualTo(9);
        assertThat(buffer.remaining()).isEqualTo(header.length + 3);
    }

    @Test
    void decodesTheProxyUnspecFamilyAsKeepTheConnectionsAddresses() {
        ProxyHeader header = complete(v2("21", "00", "")).header();
        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.useConnectionAddresses()).isTrue();
        assertThat(header).isEqualTo(ProxyHeader.unknown(ProtocolVersion.V2, List.of()));
    }
}
