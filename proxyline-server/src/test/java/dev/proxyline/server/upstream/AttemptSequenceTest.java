package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.chosen;
import static dev.proxyline.server.upstream.Groups.roundRobin;
import static dev.proxyline.server.upstream.Groups.server;
import static dev.proxyline.server.upstream.Groups.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttemptSequenceTest {
    private final FakeClock clock = new FakeClock();

    private UpstreamGroup four() {
        return roundRobin(clock, server(1), server(2), server(3), server(4));
    }

    private static StopReason stopReason(Object answer) {
        assertThat(answer).isInstanceOf(Stop.class);
        return ((Stop) answer).reason();
    }

    @Test
    void triesLimitEndsTheSequenceAndUpstreamAddrListsEveryTry() {
        AttemptSequence sequence = four().begin(NextUpstreamPolicy.httpDefault().withTries(2));
        chosen(sequence.next());
        assertThat(sequence.fail(FailureKind.ERROR)).isEqualTo(new Verdict.Retry());
        chosen(sequence.next());
        Verdict verdict = sequence.fail(FailureKind.TIMEOUT);
        assertThat(stopReason(verdict)).isEqualTo(StopReason.TRIES_EXHAUSTED);
        assertThat(((Stop) verdict).message()).contains("timeout from 10.0.0.2:80").contains("2 tries");
        assertThat(sequence.upstreamAddr()).isEqualTo("10.0.0.1:80, 10.0.0.2:80");
        assertThat(sequence.tried()).extracting(TriedPeer::failure)
                .containsExactly(Optional.of(FailureKind.ERROR), Optional.of(FailureKind.TIMEOUT));
        assertThat(sequence.next()).isSameAs(verdict);
    }

    @Test
    void unlimitedTriesTryEveryLiveServerExactlyOnce() {
        UpstreamGroup group = roundRobin(clock, server(1), server(2).asDown(), server(3), server(4));
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        Verdict last = null;
        for (int i = 0; i < 3; i++) {
            chosen(sequence.next());
            last = sequence.fail(FailureKind.ERROR);
        }
        assertThat(stopReason(last)).isEqualTo(StopReason.TRIES_EXHAUSTED);
        assertThat(sequence.tried()).extracting(TriedPeer::name)
                .containsExactlyInAnyOrder("10.0.0.1:80", "10.0.0.3:80", "10.0.0.4:80");
    }

    @Test
    void samePeerIsNeverTriedTwiceEvenWhenItWouldWinAgain() {
        UpstreamGroup group = roundRobin(clock, server(1).withWeight(100).withMaxFails(0), server(2));
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        assertThat(chosen(sequence.next()).name()).isEqualTo("10.0.0.1:80");
        sequence.fail(FailureKind.ERROR);
        assertThat(chosen(sequence.next()).name()).isEqualTo("10.0.0.2:80");
    }

    @Test
    void peersBeyondTheSixtyFourthAreNeverTriedTwiceEither() {
        PeerSpec[] servers = new PeerSpec[70];
        for (int i = 0; i < servers.length; i++) {
            // Failures never make a server unavailable here: only the tried set keeps the heavy one out.
            servers[i] = server(i + 1).withMaxFails(0).withWeight(i == 66 ? 100 : 1);
        }
        AttemptSequence sequence = roundRobin(clock, servers).begin(NextUpstreamPolicy.httpDefault());
        assertThat(chosen(sequence.next()).name()).isEqualTo("10.0.0.67:80");
        Verdict verdict = sequence.fail(FailureKind.ERROR);
        while (verdict instanceof Verdict.Retry) {
            chosen(sequence.next());
            verdict = sequence.fail(FailureKind.ERROR);
        }
        assertThat(stopReason(verdict)).isEqualTo(StopReason.TRIES_EXHAUSTED);
        assertThat(sequence.tried()).extracting(TriedPeer::name).hasSize(70).doesNotHaveDuplicates();
    }

    @Test
    void aPeerThatServedTheRequestIsListedWithoutFailure() {
        AttemptSequence sequence = four().begin(NextUpstreamPolicy.httpDefault());
        assertThat(sequence.tried()).isEmpty();
        assertThat(sequence.upstreamAddr()).isEmpty();
        Peer first = chosen(sequence.next());
        sequence.fail(FailureKind.ERROR);
        Peer second = chosen(sequence.next());
        sequence.succeed();
        assertThat(sequence.tried()).containsExactly(
                new TriedPeer(first.name(), first.address(), Optional.of(FailureKind.ERROR)),
                new TriedPeer(second.name(), second.address(), Optional.empty()));
        assertThat(sequence.upstreamAddr()).isEqualTo(first.name() + ", " + second.name());
    }

    @Test
    void timeoutCountsFromTheFirstAttempt() {
        UpstreamGroup group = four();
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault().withTimeout(Duration.ofSeconds(5)));
        chosen(sequence.next());
        clock.advance(Duration.ofSeconds(3));
        assertThat(sequence.fail(FailureKind.TIMEOUT)).isInstanceOf(Verdict.Retry.class);
        chosen(sequence.next());
        clock.advance(Duration.ofSeconds(2));
        assertThat(stopReason(sequence.fail(FailureKind.TIMEOUT))).isEqualTo(StopReason.TIMEOUT_EXCEEDED);
    }

    @Test
    void failureOutsideTheConditionsIsFinalAndHttpStatusesCountOnlyWhenListed() {
        UpstreamGroup group = four();
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        String peer = chosen(sequence.next()).name();
        assertThat(stopReason(sequence.fail(FailureKind.HTTP_502))).isEqualTo(StopReason.NOT_A_RETRY_CONDITION);
        assertThat(status(group, peer).fails()).isZero();

        NextUpstreamPolicy with502 = new NextUpstreamPolicy(EnumSet.of(FailureKind.ERROR, FailureKind.HTTP_502),
                false, 0, Duration.ZERO);
        AttemptSequence retried = group.begin(with502);
        String failed = chosen(retried.next()).name();
        assertThat(retried.fail(FailureKind.HTTP_502)).isInstanceOf(Verdict.Retry.class);
        assertThat(status(group, failed).fails()).isEqualTo(1);
    }

    @Test
    void http404IsPassedOnWhenListedButNeverCountsAgainstThePeer() {
        UpstreamGroup group = four();
        NextUpstreamPolicy with404 = new NextUpstreamPolicy(EnumSet.of(FailureKind.HTTP_404), false, 0, Duration.ZERO);
        AttemptSequence sequence = group.begin(with404);
        String peer = chosen(sequence.next()).name();
        assertThat(sequence.fail(FailureKind.HTTP_404)).isInstanceOf(Verdict.Retry.class);
        assertThat(status(group, peer).fails()).isZero();
    }

    @Test
    void errorsCountAgainstThePeerEvenWhenRetriesAreOff() {
        UpstreamGroup group = four();
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.off());
        String peer = chosen(sequence.next()).name();
        assertThat(stopReason(sequence.fail(FailureKind.ERROR))).isEqualTo(StopReason.NOT_A_RETRY_CONDITION);
        assertThat(status(group, peer).available()).isFalse();
    }

    @Test
    void sentNonIdempotentRequestIsRetriedOnlyWithNonIdempotent() {
        UpstreamGroup group = four();
        AttemptSequence strict = group.begin(NextUpstreamPolicy.httpDefault());
        chosen(strict.next());
        assertThat(stopReason(strict.fail(FailureKind.ERROR, RequestState.SENT_NON_IDEMPOTENT)))
                .isEqualTo(StopReason.NOT_REPLAYABLE);

        NextUpstreamPolicy lenient = new NextUpstreamPolicy(EnumSet.of(FailureKind.ERROR), true, 0, Duration.ZERO);
        AttemptSequence relaxed = group.begin(lenient);
        chosen(relaxed.next());
        assertThat(relaxed.fail(FailureKind.ERROR, RequestState.SENT_NON_IDEMPOTENT)).isInstanceOf(Verdict.Retry.class);
        chosen(relaxed.next());
        assertThat(stopReason(relaxed.fail(FailureKind.ERROR, RequestState.SENT_NOT_REPLAYABLE)))
                .isEqualTo(StopReason.NOT_REPLAYABLE);
    }

    @Test
    void streamPolicyOffNeverRetries() {
        AttemptSequence sequence = four().begin(NextUpstreamPolicy.stream(false, 0, Duration.ZERO));
        chosen(sequence.next());
        assertThat(stopReason(sequence.fail(FailureKind.ERROR))).isEqualTo(StopReason.NOT_A_RETRY_CONDITION);
    }

    @Test
    void connectionsAreCountedUntilTheAttemptEnds() {
        UpstreamGroup group = four();
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        String peer = chosen(sequence.next()).name();
        assertThat(status(group, peer).conns()).isEqualTo(1);
        assertThat(sequence.attemptOpen()).isTrue();
        sequence.succeed();
        assertThat(status(group, peer).conns()).isZero();
        assertThat(sequence.attemptOpen()).isFalse();
    }

    @Test
    void misuseIsRefusedWithAnExplanation() {
        AttemptSequence sequence = four().begin(NextUpstreamPolicy.httpDefault());
        assertThatThrownBy(sequence::succeed).isInstanceOf(IllegalStateException.class).hasMessageContaining("without an open attempt");
        chosen(sequence.next());
        assertThatThrownBy(sequence::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("still open");
        sequence.succeed();
        assertThatThrownBy(sequence::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("already succeeded");
    }

    @Test
    void singleServerIsTriedOnce() {
        UpstreamGroup group = roundRobin(clock, server(1));
        AttemptSequence sequence = group.begin(NextUpstreamPolicy.httpDefault());
        chosen(sequence.next());
        assertThat(stopReason(sequence.fail(FailureKind.ERROR))).isEqualTo(StopReason.TRIES_EXHAUSTED);
    }

    @Test
    void policyValidatesItsLimits() {
        assertThatThrownBy(() -> NextUpstreamPolicy.httpDefault().withTries(-1)).hasMessageContaining("proxy_next_upstream_tries -1");
        assertThatThrownBy(() -> NextUpstreamPolicy.httpDefault().withTimeout(Duration.ofMillis(-1)))
                .hasMessageContaining("proxy_next_upstream_timeout");
    }
}
