package dev.proxyline.server.runtime.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The A and (with {@code ipv6=on}) AAAA answers of one name, combined as nginx combines them once both are in: an
 * error in either fails the lookup with that code (the later one's when both failed, as nginx keeps the first only
 * until the second arrives), else the addresses of both (IPv4 first), else a CNAME's target to look up, else
 * {@code (3: Host not found)}. Not thread-safe: one lookup's state on one event loop.
 */
final class AnswerPair {
    /** The outcome once every asked type has its answer. */
    sealed interface Outcome {
        record Found(List<InetAddress> addresses, long ttl) implements Outcome {
        }

        record Follow(String alias) implements Outcome {
        }

        record Failed(int code) implements Outcome {
        }
    }

    private final boolean ipv6;
    private Answer a;
    private Answer aaaa;
    private Integer lastError;

    AnswerPair(boolean ipv6) {
        this.ipv6 = ipv6;
    }

    /** Whether the answer of this type is still awaited (the resend asks only for those). */
    boolean waitsFor(boolean forAaaa) {
        return forAaaa ? ipv6 && aaaa == null : a == null;
    }

    /**
     * Takes one type's answer (a repeated one is ignored).
     *
     * @return the outcome when this was the last one awaited
     */
    Optional<Outcome> take(boolean forAaaa, Answer answer) {
        if (!waitsFor(forAaaa)) return Optional.empty();
        if (forAaaa) aaaa = answer;
        else a = answer;
        if (answer instanceof Answer.Error e) lastError = e.code();
        if (waitsFor(false) || waitsFor(true)) return Optional.empty();
        return Optional.of(outcome());
    }

    private Outcome outcome() {
        if (lastError != null) return new Outcome.Failed(lastError);
        List<InetAddress> found = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Answer answer : ipv6 ? List.of(a, aaaa) : List.of(a)) {
            if (answer instanceof Answer.Addresses addresses && !addresses.addresses().isEmpty()) {
                found.addAll(addresses.addresses());
                ttl = Math.min(ttl, addresses.ttl());
            }
        }
        if (!found.isEmpty()) return new Outcome.Found(found, ttl);
        for (Answer answer : ipv6 ? List.of(a, aaaa) : List.of(a)) {
            if (answer instanceof Answer.Alias alias) return new Outcome.Follow(alias.name());
        }
        return new Outcome.Failed(LookupFailure.HOST_NOT_FOUND);
    }
}
