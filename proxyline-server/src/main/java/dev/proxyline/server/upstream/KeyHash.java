package dev.proxyline.server.upstream;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The hash functions of {@code hash}: CRC-32 (IEEE 802.3, the JDK's {@link CRC32}), the function
 * nginx uses, so a key maps to the same server as it would in nginx given the same server list.
 * Keys are hashed as their UTF-8 bytes (for {@code $remote_addr} and friends that is plain ASCII).
 * CRC-32 is not a cryptographic hash; like nginx, we only need it to spread keys evenly.
 */
final class KeyHash {
    private KeyHash() {
    }

    /** CRC-32 of {@code key} as an unsigned 32-bit value. */
    static long crc32(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /**
     * The 15-bit hash plain {@code hash} adds up on its {@code rehash}-th probe (0 first): bits 16-30
     * of CRC-32 over the decimal rehash count (omitted on the first probe) followed by the key; the
     * scheme of Cache::Memcached, which nginx adopted.
     */
    static long probe(String key, int rehash) {
        CRC32 crc = new CRC32();
        if (rehash > 0) {
            crc.update(Integer.toString(rehash).getBytes(StandardCharsets.US_ASCII));
        }
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() >>> 16) & 0x7fff;
    }
}
