package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.group;
import static dev.proxyline.server.upstream.Groups.pickAndRelease;
import static dev.proxyline.server.upstream.Groups.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashTest {
    private final FakeClock clock = new FakeClock();
    private final BalancingMethod hash = new BalancingMethod.Hash(false);

    private static String key(int i) {
        return "198.51." + (i / 256) + "." + (i % 256);
    }

    @Test
    void equalKeysAlwaysMapToTheSamePeer() {
        UpstreamGroup group = group(hash, clock, server(1), server(2), server(3));
        for (int i = 0; i < 200; i++) {
            String first = pickAndRelease(group, key(i));
            for (int repeat = 0; repeat < 3; repeat++) {
                assertThat(pickAndRelease(group, key(i))).isEqualTo(first);
            }
        }
    }

    @Test
    void firstProbeIsCrc32Bits16To30ModuloTotalWeight() {
        UpstreamGroup group = group(hash, clock, server(1), server(2).withWeight(2), server(3));
        for (int i = 0; i < 50; i++) {
            long slot = KeyHash.probe(key(i), 0) % 4;
            String expected = slot == 0 ? "10.0.0.1:80" : slot < 3 ? "10.0.0.2:80" : "10.0.0.3:80";
            assertThat(pickAndRelease(group, key(i))).as(key(i)).isEqualTo(expected);
        }
    }

    @Test
    void keysSpreadRoughlyByWeight() {
        UpstreamGroup group = group(hash, clock, server(1).withWeight(2), server(2), server(3));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 8000; i++) {
            counts.merge(pickAndRelease(group, key(i)), 1, Integer::sum);
        }
        assertThat(counts.get("10.0.0.1:80")).isBetween(3600, 4400);
        assertThat(counts.get("10.0.0.2:80")).isBetween(1600, 2400);
        assertThat(counts.get("10.0.0.3:80")).isBetween(1600, 2400);
    }

    @Test
    void keyOfADownPeerIsRehashedDeterministicallyAndOthersStay() {
        PeerSpec[] servers = {server(1), server(2), server(3)};
        UpstreamGroup all = group(hash, clock, servers);
        UpstreamGroup withDown = group(hash, clock, server(1), server(2).asDown(), server(3));
        for (int i = 0; i < 300; i++) {
            String before = pickAndRelease(all, key(i));
            String after = pickAndRelease(withDown, key(i));
            if (!before.equals("10.0.0.2:80")) {
                assertThat(after).isEqualTo(before);
            } else {
                assertThat(after).isNotEqualTo("10.0.0.2:80").isEqualTo(pickAndRelease(withDown, key(i)));
            }
        }
    }

    @Test
    void retryRehashesToAnotherPeerTheSameWayEveryTime() {
        UpstreamGroup group = group(hash, clock, server(1).withMaxFails(0), server(2).withMaxFails(0),
                server(3).withMaxFails(0), server(4).withMaxFails(0));
        List<String> firstRun = null;
        for (int run = 0; run < 3; run++) {
            AttemptSequence sequence = group.begin("client-7", NextUpstreamPolicy.httpDefault());
            for (int attempt = 0; attempt < 4; attempt++) {
                Groups.chosen(sequence.next());
                sequence.fail(FailureKind.ERROR);
            }
            List<String> order = sequence.tried().stream().map(TriedPeer::name).toList();
            assertThat(order).doesNotHaveDuplicates().hasSize(4);
            if (firstRun == null) {
                firstRun = order;
            }
            assertThat(order).isEqualTo(firstRun);
        }
    }

    @Test
    void emptyKeyFallsBackToRoundRobin() {
        UpstreamGroup group = group(hash, clock, server(1), server(2));
        assertThat(Groups.picks(group, 4)).containsExactly("10.0.0.1:80", "10.0.0.2:80", "10.0.0.1:80", "10.0.0.2:80");
    }

    @Test
    void backupServersAreRefusedWithHashAndRandom() {
        for (BalancingMethod method : new BalancingMethod[] {hash, new BalancingMethod.Hash(true),
                new BalancingMethod.Random(false), new BalancingMethod.Random(true)}) {
            assertThatThrownBy(() -> group(method, clock, server(1), server(2).asBackup()))
                    .isInstanceOf(InvalidUpstreamException.class)
                    .hasMessageContaining("server \"10.0.0.2:80\": balancing method \"" + method.directive()
                            + "\" does not support parameter \"backup\"");
        }
    }
}
