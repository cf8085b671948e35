package dev.proxyline.protocol.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The ways a network can hand the same bytes to a receiver. Every decoding test runs under each,
 * and the outcome must not depend on which.
 */
public enum Delivery {
    /** One read with everything. */
    ALL_AT_ONCE {
        @Override
        public List<byte[]> split(byte[] bytes, long seed) {
            return bytes.length == 0 ? List.of() : List.of(bytes.clone());
        }
    },
    /** One read per byte. */
    BYTE_BY_BYTE {
        @Override
        public List<byte[]> split(byte[] bytes, long seed) {
            List<byte[]> reads = new ArrayList<>(bytes.length);
            for (byte b : bytes) {
                reads.add(new byte[] {b});
            }
            return reads;
        }
    },
    /** Reads of random sizes from 1 to 17 bytes, reproducible from the seed. */
    RANDOM_SPLITS {
        @Override
        public List<byte[]> split(byte[] bytes, long seed) {
            Random random = new Random(seed);
            List<byte[]> reads = new ArrayList<>();
            for (int at = 0; at < bytes.length; ) {
                int size = Math.min(bytes.length - at, 1 + random.nextInt(17));
                reads.add(Arrays.copyOfRange(bytes, at, at + size));
                at += size;
            }
            return reads;
        }
    },
    /** Two reads split at a random point: the usual case of a header cut by a segment boundary. */
    TWO_READS {
        @Override
        public List<byte[]> split(byte[] bytes, long seed) {
            if (bytes.length < 2) {
                return ALL_AT_ONCE.split(bytes, seed);
            }
            int cut = 1 + new Random(seed).nextInt(bytes.length - 1);
            return List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length));
        }
    };

    /** The reads that deliver {@code bytes}; empty input gives no read. */
    public abstract List<byte[]> split(byte[] bytes, long seed);
}
