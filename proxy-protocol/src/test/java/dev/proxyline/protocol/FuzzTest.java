package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.proxyline.protocol.testing.BufferKind;
import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import dev.proxyline.protocol.testing.Delivery;
import dev.proxyline.protocol.testing.RandomHeaders;
import dev.proxyline.protocol.testing.Receiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Mutation fuzzing of the decoder: vectors, captures and random headers with bytes flipped,
 * inserted, deleted, duplicated, spliced and cut. Whatever the input, decoding never throws, does
 * not depend on how the bytes are split or what buffer holds them, never claims more bytes than it
 * was given, and a decoded header re-encodes to one that decodes equal.
 *
 * <p>The normal build runs a fixed, seeded batch. For a long run (here ten minutes; the seed is
 * printed and can be replayed with {@code -Dfuzz.seed=...}):
 *
 * <pre>
 * ./mvnw -B -q -pl proxy-protocol verify -Dtest=FuzzTest#fuzzForAsLongAsAsked -Dfuzz.seconds=600
 * </pre>
 */
class FuzzTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ProxyHeaderDecoder DECODER = new ProxyHeaderDecoder(ProxyHeaderDecoder.V2_MAX_LENGTH);
    private static final ProxyHeaderDecoder CAPPED = new ProxyHeaderDecoder(300);
    /** Bytes that matter to the grammar, more likely to reach interesting states than random ones. */
    private static final byte[] INTERESTING = " \r\n\t:.0123456789abcdefABCDEFPROXYTCP46UNKW-+%[]\u0000".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] INTERESTING_BINARY = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0D, 0x0A, 0x10, 0x11, 0x12, 0x20,
        0x21, 0x22, 0x30, 0x31, 0x32, (byte) 0x7F, (byte) 0x80, (byte) 0xE0, (byte) 0xEA, (byte) 0xEE, (byte) 0xFF};
    private static final int MAX_INPUT = 1200;

    @Test
    void seededMutationsKeepEveryInvariant() {
        Fuzzer fuzzer = new Fuzzer(new Random(20261126L));
        for (int i = 0; i < 12_000; i++) {
            fuzzer.step();
        }
        assertThat(fuzzer.completes).as("the mutations still reach valid headers").isGreaterThan(300);
        assertThat(fuzzer.invalids).as("and invalid ones").isGreaterThan(2_500);
    }

    @Test
    @EnabledIfSystemProperty(named = "fuzz.seconds", matches = "\\d+")
    void fuzzForAsLongAsAsked() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Duration budget = Duration.ofSeconds(Long.getLong("fuzz.seconds"));
        System.out.println("FuzzTest: seed " + seed + " for " + budget + " (replay with -Dfuzz.seed=" + seed + ")");
        Fuzzer fuzzer = new Fuzzer(new Random(seed));
        long end = System.nanoTime() + budget.toNanos();
        long steps = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                fuzzer.step();
            }
            steps += 1000;
        }
        System.out.println("FuzzTest: " + steps + " inputs, " + fuzzer.completes + " complete, " + fuzzer.invalids
                + " invalid, " + fuzzer.needMores + " need-more");
    }

    /** The corpus, the mutators and the checks. */
    static final class Fuzzer {
        private final Random random;
        private final List<byte[]> corpus = new ArrayList<>();
        long completes;
        long invalids;
        long needMores;

        Fuzzer(Random random) {
            this.random = random;
            for (ConformanceVector vector : ConformanceVectors.all()) {
                if (vector.bytes().length <= MAX_INPUT) {
                    corpus.add(vector.bytes());
                }
            }
            ConformanceVectors.captures().forEach(capture -> corpus.add(capture.bytes()));
            for (int i = 0; i < 200; i++) {
                corpus.add(ProxyHeaderEncoder.encode(RandomHeaders.next(random)));
            }
        }

        void step() {
            byte[] input = corpus.get(random.nextInt(corpus.size()));
            int mutations = 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 2);
            for (int i = 0; i < mutations; i++) {
                input = mutate(input);
            }
            if (input.length > MAX_INPUT) {
                input = Arrays.copyOf(input, MAX_INPUT);
            }
            check(input);
            // Inputs that decode become seeds too, so that mutation goes deeper than one step from the vectors.
            if (corpus.size() < 5_000 && random.nextInt(20) == 0 && DECODER.decode(input) instanceof DecodeResult.Complete) {
                corpus.add(input);
            }
        }

        private byte[] mutate(byte[] in) {
            int n = in.length;
            int at = n == 0 ? 0 : random.nextInt(n);
            switch (random.nextInt(10)) {
                case 0: // flip a bit
                    if (n > 0) {
                        byte[] out = in.clone();
                        out[at] ^= (byte) (1 << random.nextInt(8));
                        return out;
                    }
                    return in;
                case 1: // a random byte
                case 2: // a byte the grammar cares about
                    if (n > 0) {
                        byte[] out = in.clone();
                        out[at] = pick(random.nextBoolean());
                        return out;
                    }
                    return in;
                case 3: { // insert
                    byte[] out = new byte[n + 1];
                    System.arraycopy(in, 0, out, 0, at);
                    out[at] = random.nextBoolean() ? pick(random.nextBoolean()) : (byte) random.nextInt(256);
                    System.arraycopy(in, at, out, at + 1, n - at);
                    return out;
                }
                case 4: { // delete a run
                    if (n == 0) {
                        return in;
                    }
                    int length = Math.min(n - at, 1 + random.nextInt(4));
                    byte[] out = new byte[n - length];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + length, out, at, n - at - length);
                    return out;
                }
                case 5: // truncate
                    return Arrays.copyOf(in, at);
                case 6: { // duplicate a run
                    int length = Math.min(n - at, 1 + random.nextInt(16));
                    byte[] out = new byte[n + length];
                    System.arraycopy(in, 0, out, 0, at + length);
                    System.arraycopy(in, at, out, at + length, n - at);
                    return out;
                }
                case 7: { // splice the tail of another input
                    byte[] other = corpus.get(random.nextInt(corpus.size()));
                    int from = other.length == 0 ? 0 : random.nextInt(other.length);
                    byte[] out = Arrays.copyOf(in, at + other.length - from);
                    System.arraycopy(other, from, out, at, other.length - from);
                    return out;
                }
                case 8: // a 16-bit length or port set to an edge value, where signedness and bounds bugs live
                    if (n >= 2) {
                        byte[] out = in.clone();
                        int value = new int[] {0, 1, 2, 3, 4, 5, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF}[random.nextInt(13)];
                        int i = Math.min(at, n - 2);
                        out[i] = (byte) (value >>> 8);
                        out[i + 1] = (byte) value;
                        return out;
                    }
                    return in;
                default: // append random bytes
                    byte[] out = Arrays.copyOf(in, n + 1 + random.nextInt(8));
                    for (int i = n; i < out.length; i++) {
                        out[i] = pick(random.nextBoolean());
                    }
                    return out;
            }
        }

        private byte pick(boolean text) {
            byte[] from = text ? INTERESTING : INTERESTING_BINARY;
            return from[random.nextInt(from.length)];
        }

        void check(byte[] input) {
            String context = HEX.formatHex(input);
            DecodeResult single;
            try {
                single = DECODER.decode(input);
                CAPPED.decode(input);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("decode threw on " + context, e);
            }
            if (single instanceof DecodeResult.Complete complete) {
                completes++;
                assertThat(complete.length()).as(context).isBetween(15, input.length);
                assertReencodesEqual(complete.header(), context);
                assertThat(DECODER.decode(Arrays.copyOf(input, complete.length()))).as("the header alone: " + context).isEqualTo(complete);
            } else if (single instanceof DecodeResult.Invalid invalid) {
                invalids++;
                assertThat(invalid.offset()).as(context).isBetween(0, input.length);
                assertThat(invalid.message()).as(context).contains("offset " + invalid.offset());
            } else {
                needMores++;
            }
            Delivery delivery = input.length <= 300 && random.nextBoolean() ? Delivery.BYTE_BY_BYTE
                    : random.nextBoolean() ? Delivery.RANDOM_SPLITS : Delivery.TWO_READS;
            BufferKind kind = BufferKind.values()[random.nextInt(BufferKind.values().length)];
            Receiver.Outcome outcome;
            try {
                outcome = Receiver.receive(DECODER, delivery.split(input, random.nextLong()), kind);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("decode threw on " + context + " via " + delivery + "/" + kind, e);
            }
            try {
                ConformanceDecodeTest.assertSameAsSingleRead(outcome.result(), single);
            } catch (AssertionError e) {
                fail("split-dependent result for " + context + " via " + delivery + "/" + kind + ": " + outcome.result()
                        + " vs a single read's " + single, e);
            }
        }

        private static void assertReencodesEqual(ProxyHeader header, String context) {
            byte[] again;
            try {
                again = ProxyHeaderEncoder.encode(header);
            } catch (RuntimeException e) {
                throw new AssertionError("a decoded header could not be encoded: " + header + " from " + context, e);
            }
            DecodeResult redecoded = DECODER.decode(again);
            assertThat(redecoded).as("re-encoded " + header + " from " + context).isInstanceOf(DecodeResult.Complete.class);
            assertThat(((DecodeResult.Complete) redecoded).header()).as("re-decoded, from " + context).isEqualTo(header);
        }
    }
}
