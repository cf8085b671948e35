package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.testing.BufferKind;
import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import dev.proxyline.protocol.testing.Delivery;
import dev.proxyline.protocol.testing.ExpectedHeader;
import dev.proxyline.protocol.testing.Receiver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public decode vector through a simulated receiver, under every delivery strategy, the
 * vector's own chunks, and every kind of buffer: the outcome must be the vector's, and the same as a
 * single read's.
 */
class ConformanceDecodeTest {
    /** The vectors include a 32 KiB header, valid by the specification; the size cap has its own tests. */
    private static final ProxyHeaderDecoder DECODER = new ProxyHeaderDecoder(ProxyHeaderDecoder.V2_MAX_LENGTH);
    private static final int RANDOM_SEEDS = 3;

    /** A way to split a vector into reads, named for the test report. */
    record Split(String name, List<byte[]> reads) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> deliveries() {
        List<Arguments> cases = new ArrayList<>();
        ConformanceVectors.decodeVectors().forEach(vector -> {
            for (Split split : splits(vector)) {
                for (BufferKind kind : BufferKind.values()) {
                    cases.add(Arguments.of(vector, split, kind));
                }
            }
        });
        return cases.stream();
    }

    private static List<Split> splits(ConformanceVector vector) {
        List<Split> splits = new ArrayList<>();
        long base = vector.name().hashCode();
        splits.add(new Split("ALL_AT_ONCE", Delivery.ALL_AT_ONCE.split(vector.bytes(), base)));
        splits.add(new Split("BYTE_BY_BYTE", Delivery.BYTE_BY_BYTE.split(vector.bytes(), base)));
        for (int seed = 0; seed < RANDOM_SEEDS; seed++) {
            splits.add(new Split("RANDOM_SPLITS#" + seed, Delivery.RANDOM_SPLITS.split(vector.bytes(), base + seed)));
            splits.add(new Split("TWO_READS#" + seed, Delivery.TWO_READS.split(vector.bytes(), base + seed)));
        }
        if (!vector.chunks().isEmpty()) {
            splits.add(new Split("vector chunks", vector.chunks()));
        }
        return splits;
    }

    @ParameterizedTest(name = "{0} / {1} / {2}")
    @MethodSource("deliveries")
    void receiverReachesTheVectorsVerdictHoweverTheBytesArrive(ConformanceVector vector, Split split, BufferKind kind) {
        assertThat(concat(split.reads())).as("the split delivers exactly the vector's bytes").isEqualTo(vector.bytes());
        DecodeResult single = DECODER.decode(vector.bytes());
        Receiver.Outcome outcome = Receiver.receive(DECODER, split.reads(), kind);
        DecodeResult result = outcome.result();

        assertSameAsSingleRead(result, single);
        if (result instanceof DecodeResult.Complete complete) {
            assertThat(complete.length()).as("header length within the received bytes").isLessThanOrEqualTo(outcome.received());
            assertThat(outcome.receivedBefore()).as("no Complete later than the read that completed the header")
                    .isLessThan(complete.length());
            assertThat(outcome.payload()).as("payload received with the header, unchanged")
                    .isEqualTo(Arrays.copyOfRange(vector.bytes(), complete.length(), outcome.received()));
            assertThat(vector.mayAccept()).as("a valid header, or one the vector lets the receiver accept").isTrue();
            vector.expect().ifPresent(expect -> ExpectedHeader.assertMatches(expect, complete, vector.bytes()));
        } else if (result instanceof DecodeResult.NeedMore) {
            assertThat(outcome.received()).as("need-more only once every byte was read").isEqualTo(vector.bytes().length);
            if (vector.expectPending()) {
                return; // the receiver keeps waiting, as the vector asks
            }
            assertThat(vector.mayReject()).as("still waiting on a valid header").isTrue();
            assertThat(vector.eof()).as("need-more counts as rejection only when the peer closes").isTrue();
            assertThat(isTruncation(vector)).as("only a truncated header may still be waiting at EOF").isTrue();
        } else {
            assertThat(vector.expectPending()).as("a pending vector must not be refused").isFalse();
            assertThat(vector.mayReject()).as("refused a valid header: " + result).isTrue();
        }
    }

    /** Vectors whose bytes are a true prefix of a header: at EOF the receiver rejects them as truncated. */
    private static boolean isTruncation(ConformanceVector vector) {
        return vector.name().endsWith("_eof") || vector.name().contains("truncated");
    }

    /** The same verdict; for a refusal the same reason and offset (messages may quote more bytes). */
    static void assertSameAsSingleRead(DecodeResult result, DecodeResult single) {
        if (single instanceof DecodeResult.Invalid expected && result instanceof DecodeResult.Invalid actual) {
            assertThat(actual.reason()).as("reason, against a single read: " + actual.message()).isEqualTo(expected.reason());
            assertThat(actual.offset()).as("offset, against a single read: " + actual.message()).isEqualTo(expected.offset());
        } else {
            assertThat(result).as("the same result as a single read").isEqualTo(single);
        }
    }

    static byte[] concat(List<byte[]> reads) {
        int total = 0;
        for (byte[] read : reads) {
            total += read.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] read : reads) {
            System.arraycopy(read, 0, all, at, read.length);
            at += read.length;
        }
        return all;
    }
}
