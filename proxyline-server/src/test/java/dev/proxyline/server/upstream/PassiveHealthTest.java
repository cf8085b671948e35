package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.chosen;
import static dev.proxyline.server.upstream.Groups.picks;
import static dev.proxyline.server.upstream.Groups.roundRobin;
import static dev.proxyline.server.upstream.Groups.server;
import static dev.proxyline.server.upstream.Groups.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PassiveHealthTest {
    private static final String A = "10.0.0.1:80";
    private static final String B = "10.0.0.2:80";

    private final FakeClock clock = new FakeClock();

    /** Runs sequences until {@code name} is chosen (others succeed), then fails it with error. */
    private static void fail(UpstreamGroup group, String name) {
        for (int i = 0; i < 50; i++) {
            AttemptSequence sequence = group.begin(NextUpstreamPolicy.off());
            Peer peer = chosen(sequence.next());
            if (peer.name().equals(name)) {
                sequence.fail(FailureKind.ERROR);
                return;
            }
            sequence.succeed();
        }
        throw new AssertionError(name + " was never chosen");
    }

    private UpstreamGroup twoServers(int maxFails) {
        return roundRobin(clock, server(1).withMaxFails(maxFails).withFailTimeout(Duration.ofSeconds(10)), server(2));
    }

    @Test
    void maxFailsFailuresMakeThePeerUnavailableForFailTimeout() {
        UpstreamGroup group = twoServers(2);
        fail(group, A);
        assertThat(status(group, A).available()).isTrue();
        fail(group, A);
        assertThat(status(group, A).available()).isFalse();
        assertThat(picks(group, 10)).containsOnly(B);

        clock.advance(Duration.ofSeconds(10));
        assertThat(picks(group, 10)).containsOnly(B);
        clock.advance(Duration.ofNanos(1));
        assertThat(picks(group, 2)).contains(A);
    }

    @Test
    void successfulProbeAfterTimeoutClearsTheFailures() {
        UpstreamGroup group = twoServers(2);
        fail(group, A);
        fail(group, A);
        clock.advance(Duration.ofSeconds(11));
        picks(group, 2);
        assertThat(status(group, A).fails()).isZero();
        fail(group, A);
        assertThat(status(group, A).available()).isTrue();
    }

    @Test
    void failedProbeAfterTimeoutClosesThePeerAgain() {
        UpstreamGroup group = twoServers(2);
        fail(group, A);
        fail(group, A);
        clock.advance(Duration.ofSeconds(11));
        fail(group, A);
        assertThat(status(group, A).available()).isFalse();
        assertThat(picks(group, 6)).containsOnly(B);
        clock.advance(Duration.ofSeconds(11));
        assertThat(status(group, A).available()).isTrue();
    }

    @Test
    void successWithinTheWindowDoesNotClearFailuresAsInNginx() {
        UpstreamGroup group = twoServers(2);
        fail(group, A);
        picks(group, 4);
        assertThat(status(group, A).fails()).isEqualTo(1);
        fail(group, A);
        assertThat(status(group, A).available()).isFalse();
    }

    @Test
    void failuresFurtherApartThanFailTimeoutDoNotAddUp() {
        UpstreamGroup group = twoServers(2);
        fail(group, A);
        clock.advance(Duration.ofSeconds(11));
        picks(group, 2);
        fail(group, A);
        assertThat(status(group, A).fails()).isEqualTo(1);
        assertThat(status(group, A).available()).isTrue();
    }

    @Test
    void maxFailsZeroDisablesTheAccounting() {
        UpstreamGroup group = twoServers(0);
        for (int i = 0; i < 10; i++) {
            fail(group, A);
        }
        assertThat(status(group, A).available()).isTrue();
        assertThat(picks(group, 4)).contains(A);
    }

    @Test
    void aSingleServerIsNeverConsideredUnavailable() {
        UpstreamGroup group = roundRobin(clock, server(1));
        for (int i = 0; i < 5; i++) {
            fail(group, A);
        }
        assertThat(status(group, A).fails()).isZero();
        assertThat(picks(group, 2)).containsOnly(A);
    }

    @Test
    void whenEveryPeerIsUnavailableTheSequenceReportsNoLiveUpstreamsAndFailuresAreForgotten() {
        UpstreamGroup group = twoServers(1);
        fail(group, A);
        fail(group, B);

        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        Selection selection = sequence.next();
        assertThat(selection).isInstanceOf(Stop.class);
        assertThat(((Stop) selection).reason()).isEqualTo(StopReason.NO_LIVE_UPSTREAMS);
        assertThat(((Stop) selection).message()).contains("no live upstreams").contains("backend");
        assertThat(sequence.upstreamAddr()).isEqualTo("backend");

        // nginx marks them live for quick recovery: the next connection tries again at once.
        assertThat(status(group, A).fails()).isZero();
        assertThat(status(group, A).available()).isTrue();
        assertThat(status(group, B).available()).isTrue();
        assertThat(picks(group, 6)).contains(A, B);
    }

    @Test
    void allServersDownIsNoLiveUpstreams() {
        UpstreamGroup group = roundRobin(clock, server(1).asDown(), server(2).asDown());
        Selection selection = group.begin(NextUpstreamPolicy.httpDefault()).next();
        assertThat(selection).isEqualTo(new Stop(StopReason.NO_LIVE_UPSTREAMS, "upstream \"backend\": no live upstreams in \"backend\""));
    }
}
