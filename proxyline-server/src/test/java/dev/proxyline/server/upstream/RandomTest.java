package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.chosen;
import static dev.proxyline.server.upstream.Groups.group;
import static dev.proxyline.server.upstream.Groups.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomTest {
    private final FakeClock clock = new FakeClock();

    private static void openMany(UpstreamGroup group, int count) {
        for (int i = 0; i < count; i++) {
            chosen(group.begin(NextUpstreamPolicy.httpDefault()).next());
        }
    }

    @Test
    void drawsFollowWeights() {
        UpstreamGroup group = group(new BalancingMethod.Random(false), clock, server(1).withWeight(3), server(2));
        Map<String, Integer> counts = new HashMap<>();
        Groups.picks(group, 8000).forEach(name -> counts.merge(name, 1, Integer::sum));
        assertThat(counts.get("10.0.0.1:80")).isBetween(5700, 6300);
        assertThat(counts.get("10.0.0.2:80")).isBetween(1700, 2300);
    }

    @Test
    void downPeersAreNeverDrawn() {
        UpstreamGroup group = group(new BalancingMethod.Random(false), clock, server(1), server(2).asDown(), server(3));
        assertThat(Groups.picks(group, 1000)).doesNotContain("10.0.0.2:80");
    }

    @Test
    void twoOfTwoAlwaysTakesTheLessLoaded() {
        UpstreamGroup group = group(new BalancingMethod.Random(true), clock, server(1), server(2));
        for (int i = 1; i <= 200; i++) {
            openMany(group, 1);
            int a = group.status().get(0).conns();
            int b = group.status().get(1).conns();
            assertThat(Math.abs(a - b)).as("after %d connections", i).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void twoComparesConnectionsRelativeToWeight() {
        UpstreamGroup group = group(new BalancingMethod.Random(true), clock, server(1).withWeight(3), server(2));
        openMany(group, 400);
        assertThat(group.status().get(0).conns()).isBetween(297, 303);
    }

    @Test
    void twoKeepsLongConnectionsFarMoreEvenThanOneRandomChoice() {
        PeerSpec[] ten = new PeerSpec[10];
        for (int i = 0; i < ten.length; i++) {
            ten[i] = server(i + 1);
        }
        UpstreamGroup two = group(new BalancingMethod.Random(true), clock, ten);
        UpstreamGroup one = group(new BalancingMethod.Random(false), clock, ten);
        openMany(two, 2000);
        openMany(one, 2000);
        IntSummaryStatistics twoLoads = two.status().stream().mapToInt(PeerStatus::conns).summaryStatistics();
        IntSummaryStatistics oneLoads = one.status().stream().mapToInt(PeerStatus::conns).summaryStatistics();
        assertThat(twoLoads.getMax() - twoLoads.getMin()).isLessThanOrEqualTo(6);
        assertThat(oneLoads.getMax() - oneLoads.getMin()).isGreaterThan(twoLoads.getMax() - twoLoads.getMin());
    }

    @Test
    void retryNeverDrawsATriedPeer() {
        UpstreamGroup group = group(new BalancingMethod.Random(true), clock, server(1), server(2), server(3));
        for (int round = 0; round < 100; round++) {
            AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
            chosen(sequence.next());
            sequence.fail(FailureKind.ERROR);
            chosen(sequence.next());
            sequence.fail(FailureKind.ERROR);
            chosen(sequence.next());
            sequence.succeed();
            assertThat(sequence.tried()).extracting(TriedPeer::name).doesNotHaveDuplicates().hasSize(3);
            clock.advance(java.time.Duration.ofSeconds(11));
        }
    }
}
