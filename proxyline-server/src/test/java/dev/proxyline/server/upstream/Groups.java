package dev.proxyline.server.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Shorthand for building groups and driving sequences in tests. */
final class Groups {
    private Groups() {
    }

    static UpstreamGroup group(BalancingMethod method, FakeClock clock, PeerSpec... servers) {
        return UpstreamGroup.create("backend", List.of(servers), method, clock, new SplittableRandom(42));
    }

    static UpstreamGroup roundRobin(FakeClock clock, PeerSpec... servers) {
        return group(new BalancingMethod.RoundRobin(), clock, servers);
    }

    static PeerSpec server(int lastOctet) {
        return PeerSpec.of("10.0.0." + lastOctet + ":80");
    }

    /** The peer the group chooses for a fresh sequence, released at once as a success. */
    static String pickAndRelease(UpstreamGroup group, String key) {
        AttemptSequence sequence = group.begin(key, NextUpstreamPolicy.httpDefault());
        Peer peer = chosen(sequence.next());
        sequence.succeed();
        return peer.name();
    }

    /** Names of {@code count} successive picks, each released at once. */
    static List<String> picks(UpstreamGroup group, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(pickAndRelease(group, ""));
        }
        return names;
    }

    static Peer chosen(Selection selection) {
        if (selection instanceof Selection.Chosen chosen) {
            return chosen.peer();
        }
        throw new AssertionError("expected a peer, got " + selection);
    }

    /** Fails one attempt with {@code error} against whatever the group chooses for a fresh sequence. */
    static String failOnce(UpstreamGroup group) {
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        Peer peer = chosen(sequence.next());
        sequence.fail(FailureKind.ERROR);
        return peer.name();
    }

    static PeerStatus status(UpstreamGroup group, String name) {
        return group.status().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no peer " + name));
    }
}
