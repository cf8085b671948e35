package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.testing.BufferKind;
import dev.proxyline.protocol.testing.Delivery;
import dev.proxyline.protocol.testing.RandomHeaders;
import dev.proxyline.protocol.testing.Receiver;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random headers, encoded and decoded again under random splits, come back equal. */
class RoundTripTest {
    private static final long SEED = 0x5EED_C0DECL;
    private static final int HEADERS = 3000;
    private static final ProxyHeaderDecoder DECODER = new ProxyHeaderDecoder(ProxyHeaderDecoder.V2_MAX_LENGTH);

    @Test
    void randomHeadersDecodeToWhatWasEncodedHoweverTheyArrive() {
        Random random = new Random(SEED);
        for (int i = 0; i < HEADERS; i++) {
            ProxyHeader original = RandomHeaders.next(random);
            byte[] encoded = ProxyHeaderEncoder.encode(original);
            byte[] payload = RandomHeaders.bytes(random, random.nextInt(40)).toArray();
            byte[] wire = Arrays.copyOf(encoded, encoded.length + payload.length);
            System.arraycopy(payload, 0, wire, encoded.length, payload.length);

            Delivery delivery = Delivery.values()[random.nextInt(Delivery.values().length)];
            BufferKind kind = BufferKind.values()[random.nextInt(BufferKind.values().length)];
            Receiver.Outcome outcome = Receiver.receive(DECODER, delivery.split(wire, random.nextLong()), kind);

            String context = "header #" + i + " " + original + " as " + HexFormat.of().formatHex(encoded) + " via " + delivery + "/" + kind;
            assertThat(outcome.result()).as(context).isInstanceOf(DecodeResult.Complete.class);
            DecodeResult.Complete complete = (DecodeResult.Complete) outcome.result();
            assertThat(complete.length()).as(context).isEqualTo(encoded.length);
            assertThat(RandomHeaders.withoutChecksums(complete.header())).as(context).isEqualTo(RandomHeaders.withoutChecksums(original));
            assertThat(ProxyHeaderEncoder.encode(complete.header())).as("re-encoding is stable: " + context).isEqualTo(encoded);
        }
    }

    @Test
    void checksumOfARandomHeaderIsTheCrc32cOfItsBytesWithTheFieldZeroed() {
        Random random = new Random(SEED + 1);
        int checked = 0;
        while (checked < 200) {
            ProxyHeader header = RandomHeaders.v2(random);
            int crcIndex = header.tlvs().indexOf(Tlv.Crc32c.PLACEHOLDER);
            if (crcIndex < 0) {
                continue;
            }
            byte[] encoded = ProxyHeaderEncoder.encode(header);
            int at = encoded.length;
            for (int t = header.tlvs().size() - 1; t >= crcIndex; t--) {
                at -= header.tlvs().get(t).encodedLength();
            }
            int valueAt = at + 3;
            int carried = (encoded[valueAt] & 0xFF) << 24 | (encoded[valueAt + 1] & 0xFF) << 16
                    | (encoded[valueAt + 2] & 0xFF) << 8 | (encoded[valueAt + 3] & 0xFF);
            byte[] zeroed = encoded.clone();
            Arrays.fill(zeroed, valueAt, valueAt + 4, (byte) 0);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(zeroed);
            assertThat(carried).isEqualTo((int) crc.getValue());
            checked++;
        }
    }
}
