package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.chosen;
import static dev.proxyline.server.upstream.Groups.failOnce;
import static dev.proxyline.server.upstream.Groups.group;
import static dev.proxyline.server.upstream.Groups.picks;
import static dev.proxyline.server.upstream.Groups.roundRobin;
import static dev.proxyline.server.upstream.Groups.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackupTest {
    private static final String C = "10.0.0.3:80";
    private final FakeClock clock = new FakeClock();

    @Test
    void backupIsUnusedWhilePrimariesAreAvailable() {
        UpstreamGroup group = roundRobin(clock, server(1), server(2), server(3).asBackup());
        assertThat(picks(group, 50)).doesNotContain(C);
    }

    @Test
    void backupTakesOverWhenAllPrimariesFailAndHandsBackAfterFailTimeout() {
        UpstreamGroup group = roundRobin(clock, server(1), server(2), server(3).asBackup());
        failOnce(group);
        failOnce(group);
        assertThat(picks(group, 5)).containsOnly(C);
        clock.advance(Duration.ofSeconds(11));
        assertThat(picks(group, 4)).doesNotContain(C);
    }

    @Test
    void backupServesWhenAllPrimariesAreDown() {
        UpstreamGroup group = group(new BalancingMethod.LeastConn(), clock,
                server(1).asDown(), server(2).asDown(), server(3).asBackup(), server(4).asBackup());
        assertThat(picks(group, 4)).containsExactly(C, "10.0.0.4:80", C, "10.0.0.4:80");
    }

    @Test
    void oneSequenceMovesToTheBackupAfterTryingEveryPrimary() {
        UpstreamGroup group = roundRobin(clock, server(1), server(2), server(3).asBackup());
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        chosen(sequence.next());
        assertThat(sequence.fail(FailureKind.ERROR)).isInstanceOf(Verdict.Retry.class);
        chosen(sequence.next());
        assertThat(sequence.fail(FailureKind.TIMEOUT)).isInstanceOf(Verdict.Retry.class);
        assertThat(chosen(sequence.next()).name()).isEqualTo(C);
        sequence.succeed();
        assertThat(sequence.upstreamAddr()).isEqualTo("10.0.0.1:80, 10.0.0.2:80, 10.0.0.3:80");
    }

    @Test
    void singlePrimaryWithBackupCountsFailures() {
        UpstreamGroup group = roundRobin(clock, server(1), server(3).asBackup());
        failOnce(group);
        assertThat(picks(group, 3)).containsOnly(C);
    }

    @Test
    void aGroupOfOnlyBackupsIsRefused() {
        assertThatThrownBy(() -> roundRobin(clock, server(1).asBackup()))
                .isInstanceOf(InvalidUpstreamException.class)
                .hasMessageContaining("no servers in upstream");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> group(new BalancingMethod.Hash(true), clock, server(1).asBackup(), server(2).asBackup()))
                .isInstanceOfSatisfying(InvalidUpstreamException.class,
                        e -> assertThat(e.problems()).hasSize(3));
    }
}
