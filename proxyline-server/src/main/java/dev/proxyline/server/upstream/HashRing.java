package dev.proxyline.server.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The ring of {@code hash ... consistent}, built the way nginx builds it (ketama-style, compatible
 * with Cache::Memcached::Fast), so that keys land on the same servers as in nginx:
 *
 * <ul>
 *   <li>each server contributes {@value #POINTS_PER_WEIGHT} points per unit of weight;</li>
 *   <li>a server text {@code HOST:PORT} is split at the last colon followed only by digits
 *       ({@code unix:PATH} is all host); the base is {@code HOST \0 PORT};</li>
 *   <li>point {@code j} is CRC-32 of the base followed by point {@code j-1} as four little-endian
 *       bytes (zero for the first point);</li>
 *   <li>points are sorted by hash as unsigned 32-bit values; of equal hashes the first server in
 *       configuration order keeps the point (nginx leaves that to its sort).</li>
 * </ul>
 *
 * A key is served by the first point whose hash is at or after the key's CRC-32, wrapping at the
 * end. Because a server owns many small arcs, removing one moves only its own keys, about 1/N of
 * all keys, and spreads them over the others.
 *
 * <p>Immutable once built.
 */
final class HashRing {
    static final int POINTS_PER_WEIGHT = 160;

    private final long[] hashes;
    private final int[] serverIds;

    private HashRing(long[] hashes, int[] serverIds) {
        this.hashes = hashes;
        this.serverIds = serverIds;
    }

    /** The ring of the peers of {@code tier} (down ones included, so that marking one down moves no other key). */
    static HashRing build(Tier tier) {
        int total = 0;
        for (Peer peer : tier.peers) {
            total += peer.weight() * POINTS_PER_WEIGHT;
        }
        // Each entry packs (hash << 31 | insertion order) so one primitive sort orders by hash and
        // keeps configuration order among equal hashes; 32 + 31 bits fit a positive long.
        long[] packed = new long[total];
        int[] serverOf = new int[total];
        int n = 0;
        for (Peer peer : tier.peers) {
            byte[] base = base(peer.spec().server());
            byte[] input = Arrays.copyOf(base, base.length + 4);
            long previous = 0;
            int points = peer.weight() * POINTS_PER_WEIGHT;
            for (int j = 0; j < points; j++) {
                input[base.length] = (byte) previous;
                input[base.length + 1] = (byte) (previous >>> 8);
                input[base.length + 2] = (byte) (previous >>> 16);
                input[base.length + 3] = (byte) (previous >>> 24);
                CRC32 crc = new CRC32();
                crc.update(input);
                long hash = crc.getValue();
                serverOf[n] = peer.serverId();
                packed[n] = hash << 31 | n;
                n++;
                previous = hash;
            }
        }
        Arrays.sort(packed);
        long[] hashes = new long[total];
        int[] serverIds = new int[total];
        int unique = 0;
        for (long entry : packed) {
            long hash = entry >>> 31;
            if (unique > 0 && hashes[unique - 1] == hash) {
                continue;
            }
            hashes[unique] = hash;
            serverIds[unique] = serverOf[(int) (entry & 0x7fff_ffffL)];
            unique++;
        }
        return new HashRing(Arrays.copyOf(hashes, unique), Arrays.copyOf(serverIds, unique));
    }

    /** {@code HOST \0 PORT} of a server text, split as nginx splits it. */
    static byte[] base(String server) {
        String host = server;
        String port = "";
        if (server.regionMatches(true, 0, "unix:", 0, 5)) {
            host = server.substring(5);
        } else {
            for (int i = server.length() - 1; i >= 0; i--) {
                char c = server.charAt(i);
                if (c == ':') {
                    host = server.substring(0, i);
                    port = server.substring(i + 1);
                    break;
                }
                if (c < '0' || c > '9') {
                    break;
                }
            }
        }
        byte[] hostBytes = host.getBytes(StandardCharsets.UTF_8);
        byte[] portBytes = port.getBytes(StandardCharsets.UTF_8);
        byte[] base = new byte[hostBytes.length + 1 + portBytes.length];
        System.arraycopy(hostBytes, 0, base, 0, hostBytes.length);
        System.arraycopy(portBytes, 0, base, hostBytes.length + 1, portBytes.length);
        return base;
    }

    int size() {
        return hashes.length;
    }

    /** Index of the first point with a hash at or after {@code keyHash}; {@link #size()} means "wrap to 0". */
    int firstAtOrAfter(long keyHash) {
        int low = 0;
        int high = hashes.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (hashes[mid] < keyHash) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The server owning the point at {@code position}, wrapping around the ring. */
    int serverAt(int position) {
        return serverIds[Math.floorMod(position, hashes.length)];
    }
}
