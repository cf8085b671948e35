package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.failOnce;
import static dev.proxyline.server.upstream.Groups.picks;
import static dev.proxyline.server.upstream.Groups.roundRobin;
import static dev.proxyline.server.upstream.Groups.server;
import static dev.proxyline.server.upstream.Groups.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void weightsFiveOneOneGiveNginxSmoothSequence() {
        UpstreamGroup group = roundRobin(clock, server(1).withWeight(5), server(2), server(3));
        String a = "10.0.0.1:80";
        String b = "10.0.0.2:80";
        String c = "10.0.0.3:80";
        assertThat(picks(group, 14)).containsExactly(a, a, b, a, c, a, a, a, a, b, a, c, a, a);
    }

    @Test
    void equalWeightsTakeTurnsInConfigurationOrder() {
        UpstreamGroup group = roundRobin(clock, server(1), server(2), server(3));
        assertThat(picks(group, 6)).containsExactly("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80",
                "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
    }

    @Test
    void distributionFollowsWeightsExactlyOverAFullCycle() {
        UpstreamGroup group = roundRobin(clock, server(1).withWeight(3), server(2).withWeight(2), server(3));
        Map<String, Long> counts = picks(group, 600).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(counts).containsEntry("10.0.0.1:80", 300L).containsEntry("10.0.0.2:80", 200L)
                .containsEntry("10.0.0.3:80", 100L);
    }

    @Test
    void downServerIsNeverChosen() {
        UpstreamGroup group = roundRobin(clock, server(1), server(2).asDown(), server(3));
        assertThat(picks(group, 100)).doesNotContain("10.0.0.2:80").hasSize(100);
    }

    @Test
    void failureCutsEffectiveWeightWhichThenRecoversOnePerRound() {
        UpstreamGroup group = roundRobin(clock, server(1).withWeight(10).withMaxFails(5), server(2).withWeight(10));
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.off());
        assertThat(Groups.chosen(sequence.next()).name()).isEqualTo("10.0.0.1:80");
        sequence.fail(FailureKind.ERROR);
        // weight / max_fails = 2 taken off per failure.
        assertThat(status(group, "10.0.0.1:80").effectiveWeight()).isEqualTo(8);
        assertThat(status(group, "10.0.0.1:80").fails()).isEqualTo(1);

        List<String> next = picks(group, 2);
        assertThat(next).hasSize(2);
        assertThat(status(group, "10.0.0.1:80").effectiveWeight()).isEqualTo(10);
    }

    @Test
    void effectiveWeightNeverGoesNegative() {
        UpstreamGroup group = roundRobin(clock, server(1).withWeight(1).withMaxFails(1), server(2));
        failOnce(group);
        assertThat(status(group, "10.0.0.1:80").effectiveWeight()).isZero();
    }
}
