package dev.proxyline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * nginx's rule for which listens share a listening socket. On a port that also has a wildcard listen of the
 * same family ({@code listen 80}, {@code 0.0.0.0:80}, {@code [::]:80}), a specific address such as
 * {@code 10.0.0.1:80} gets no socket of its own (the kernel would refuse it: the wildcard holds the port); the
 * wildcard's socket accepts its connections too, and each connection is served by the listen of the address it
 * reached, or by the wildcard's when no specific listen names that address. A specific address on a port
 * without a wildcard, and every wildcard, has its own socket.
 */
public final class SharedSockets {
    private SharedSockets() {}

    /**
     * One listening socket.
     *
     * @param owner  the listen the socket is bound for: the wildcard, or a specific address alone on its port
     * @param folded the specific listens served through the owner's socket (none for a socket of its own)
     */
    public record Socket<T>(T owner, List<T> folded) {
        public Socket {
            Objects.requireNonNull(owner, "owner");
            folded = List.copyOf(folded);
        }
    }

    /**
     * Groups {@code items} (one per distinct address and port) into sockets, in the order of their owners'
     * first appearance; a specific listen that precedes its port's wildcard is placed with that wildcard.
     */
    public static <T> List<Socket<T>> group(List<T> items, Function<T, Listen> listenOf) {
        Map<String, T> wildcards = new LinkedHashMap<>();
        for (T item : items) {
            Listen listen = listenOf.apply(item);
            if (listen.isWildcard()) wildcards.putIfAbsent(familyAndPort(listen), item);
        }
        Map<T, List<T>> folded = new LinkedHashMap<>();
        List<T> owners = new ArrayList<>();
        for (T item : items) {
            Listen listen = listenOf.apply(item);
            T wildcard = wildcards.get(familyAndPort(listen));
            if (wildcard == null || wildcard == item) {
                owners.add(item);
                folded.put(item, new ArrayList<>());
            }
        }
        for (T item : items) {
            Listen listen = listenOf.apply(item);
            T wildcard = wildcards.get(familyAndPort(listen));
            if (wildcard != null && wildcard != item) folded.get(wildcard).add(item);
        }
        return owners.stream().map(owner -> new Socket<>(owner, folded.get(owner))).toList();
    }

    /** A UNIX socket is alone in its family: its path is its key, and it never has a wildcard. */
    private static String familyAndPort(Listen listen) {
        if (!(listen.address() instanceof ListenAddress.Ip ip)) return listen.bindKey();
        return (listen.isIpv6() ? "inet6:" : "inet:") + ip.port();
    }
}
