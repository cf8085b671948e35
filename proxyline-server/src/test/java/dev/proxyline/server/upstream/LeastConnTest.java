package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.chosen;
import static dev.proxyline.server.upstream.Groups.group;
import static dev.proxyline.server.upstream.Groups.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastConnTest {
    private final FakeClock clock = new FakeClock();
    private final BalancingMethod leastConn = new BalancingMethod.LeastConn();

    /** Opens a connection and keeps it open. */
    private static Peer open(UpstreamGroup group, List<AttemptSequence> open) {
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        open.add(sequence);
        return chosen(sequence.next());
    }

    @Test
    void choosesThePeerWithFewestActiveConnections() {
        UpstreamGroup group = group(leastConn, clock, server(1), server(2), server(3));
        List<AttemptSequence> open = new ArrayList<>();
        assertThat(open(group, open).name()).isEqualTo("10.0.0.1:80");
        assertThat(open(group, open).name()).isEqualTo("10.0.0.2:80");
        assertThat(open(group, open).name()).isEqualTo("10.0.0.3:80");
        // Closing the connection of .2 makes it the least loaded.
        open.get(1).succeed();
        assertThat(open(group, open).name()).isEqualTo("10.0.0.2:80");
    }

    @Test
    void connectionsAreComparedRelativeToWeight() {
        UpstreamGroup group = group(leastConn, clock, server(1).withWeight(3), server(2));
        List<AttemptSequence> open = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            names.add(open(group, open).name());
        }
        // With everything kept open the loads stay proportional to the weights: 6 and 2.
        assertThat(names.stream().filter("10.0.0.1:80"::equals).count()).isEqualTo(6);
        assertThat(group.status().get(0).conns()).isEqualTo(6);
        assertThat(group.status().get(1).conns()).isEqualTo(2);
    }

    @Test
    void tiesAreBrokenByRoundRobinNotByConfigurationOrder() {
        UpstreamGroup group = group(leastConn, clock, server(1), server(2), server(3));
        // Every connection closes at once, so all three are always tied at zero.
        assertThat(Groups.picks(group, 6)).containsExactly("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80",
                "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
    }

    @Test
    void weightedTiesFollowSmoothRoundRobin() {
        UpstreamGroup group = group(leastConn, clock, server(1).withWeight(5), server(2), server(3));
        String a = "10.0.0.1:80";
        String b = "10.0.0.2:80";
        String c = "10.0.0.3:80";
        assertThat(Groups.picks(group, 7)).containsExactly(a, a, b, a, c, a, a);
    }

    @Test
    void downAndFailedPeersAreSkippedEvenWhenIdle() {
        UpstreamGroup group = group(leastConn, clock, server(1).asDown(), server(2), server(3), server(4));
        AttemptSequence failing = group.begin(NextUpstreamPolicy.off());
        assertThat(chosen(failing.next()).name()).isEqualTo("10.0.0.2:80");
        failing.fail(FailureKind.ERROR);

        List<AttemptSequence> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open(group, open);
        }
        assertThat(group.status()).extracting(PeerStatus::conns).containsExactly(0, 0, 2, 2);
    }

    @Test
    void retryGoesToTheNextLeastLoadedUntriedPeer() {
        UpstreamGroup group = group(leastConn, clock, server(1), server(2), server(3));
        List<AttemptSequence> open = new ArrayList<>();
        open(group, open);
        open(group, open);
        // .3 is idle, so it is first; after it fails, the sequence moves on although .3 stays least loaded.
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        assertThat(chosen(sequence.next()).name()).isEqualTo("10.0.0.3:80");
        sequence.fail(FailureKind.ERROR);
        assertThat(chosen(sequence.next()).name()).isIn("10.0.0.1:80", "10.0.0.2:80");
    }
}
