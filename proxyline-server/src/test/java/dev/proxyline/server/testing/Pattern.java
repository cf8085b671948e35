package dev.proxyline.server.testing;

/** A deterministic byte stream: byte i of stream {@code seed}; lets both ends check data without storing it. */
public final class Pattern {
    private final long seed;
    private long position;

    public Pattern(long seed) {
        this.seed = seed;
    }

    public static byte at(long seed, long i) {
        long x = (i + seed) * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        return (byte) (x >>> 17);
    }

    /** Fills {@code len} bytes at {@code off} with the next bytes of the stream. */
    public void fill(byte[] b, int off, int len) {
        for (int k = 0; k < len; k++) {
            b[off + k] = at(seed, position++);
        }
    }

    /** Checks that {@code len} bytes at {@code off} are the next bytes of the stream. */
    public void verify(byte[] b, int off, int len) {
        for (int k = 0; k < len; k++) {
            byte expected = at(seed, position);
            if (b[off + k] != expected) {
                throw new AssertionError("byte " + position + " of stream " + seed + " is " + b[off + k]
                        + ", expected " + expected);
            }
            position++;
        }
    }

    public long position() {
        return position;
    }
}
