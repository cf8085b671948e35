package dev.proxyline.protocol.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Tells from the first bytes of a connection whether a balancer is sending a PROXY header to a
 * listener that does not expect one: {@code PROXY TCP4 }, {@code PROXY TCP6 }, {@code PROXY UNKNOWN}
 * or the v2 signature.
 *
 * <p>It looks for these starts rather than for a valid header: a broken header from a balancer is
 * still the misconfiguration, while an HTTP request with the extension method {@code PROXY}
 * ({@code PROXY / HTTP/1.1}) is not. Every non-PROXY connection is ruled out where
 * {@link dev.proxyline.protocol.ProxyHeaderDecoder} rules it out ({@code Reason.NOT_PROXY*}), an
 * HTTP request after 1 byte, or 2 to 4 for methods that start with P ({@code PROPFIND}), and a TLS
 * ClientHello after 1; the answer never needs more than
 * {@link #DECISIVE_LENGTH} bytes.
 */
final class ProxyHeaderSniffer {
    /** What the bytes received so far say. */
    enum Sniff {
        /** Not a PROXY header: the connection is the listener's own protocol. */
        NOT_PROXY,
        /** A proper prefix of a PROXY header start: wait for the next byte. */
        UNDECIDED,
        /** A v1 header. */
        V1,
        /** A v2 header. */
        V2
    }

    private static final byte[][] V1_STARTS = {
        "PROXY TCP4 ".getBytes(US_ASCII), "PROXY TCP6 ".getBytes(US_ASCII), "PROXY UNKNOWN".getBytes(US_ASCII)};
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** The most bytes a verdict needs: the longest start, {@code PROXY UNKNOWN}. */
    static final int DECISIVE_LENGTH = 13;

    private ProxyHeaderSniffer() {
    }

    /** The verdict on the first {@code length} bytes of {@code received}, the start of the connection. */
    static Sniff sniff(byte[] received, int length) {
        boolean undecided = false;
        for (byte[] start : V1_STARTS) {
            Match match = match(received, length, start);
            if (match == Match.WHOLE) {
                return Sniff.V1;
            }
            undecided |= match == Match.SO_FAR;
        }
        Match v2 = match(received, length, V2_SIGNATURE);
        if (v2 == Match.WHOLE) {
            return Sniff.V2;
        }
        return undecided || v2 == Match.SO_FAR ? Sniff.UNDECIDED : Sniff.NOT_PROXY;
    }

    private enum Match { NO, SO_FAR, WHOLE }

    private static Match match(byte[] received, int length, byte[] start) {
        int n = Math.min(length, start.length);
        for (int i = 0; i < n; i++) {
            if (received[i] != start[i]) {
                return Match.NO;
            }
        }
        return n == start.length ? Match.WHOLE : Match.SO_FAR;
    }
}
