package dev.proxyline.config;

import java.util.Objects;

/** How an upstream picks a server; round-robin (weighted) unless the block says otherwise, as in nginx. */
public sealed interface Balancing {
    record RoundRobin() implements Balancing {}

    record LeastConn() implements Balancing {}

    /** {@code hash KEY [consistent]}; the key usually holds variables such as {@code $remote_addr}. */
    record Hash(String key, boolean consistent) implements Balancing {
        public Hash {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code random [two]}: with {@code two}, the less loaded of two random picks. */
    record Random(boolean two) implements Balancing {}
}
