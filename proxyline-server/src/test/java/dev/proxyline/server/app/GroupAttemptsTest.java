package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.stream.raw.RawUpstreamConnect.Attempts;
import dev.proxyline.server.upstream.BalancingMethod;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.upstream.PeerSpec;
import dev.proxyline.server.upstream.UpstreamGroup;
import dev.proxyline.server.variables.UpstreamAttempt;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream policy both stream paths share, without sockets: which server next, what is logged, what is recorded. */
class GroupAttemptsTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.5", 40000);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    private final long[] nanos = {0};
    private final RejectionLog failures =
            new RejectionLog(System.getLogger(GroupAttemptsTest.class.getName()), Duration.ZERO, () -> nanos[0]);

    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.of(GroupAttemptsTest.class);
    }

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void aFailedConnectIsLoggedRecordedAndRetriedOnTheNextServerWhoseConnectTimeIsRecorded() {
        SessionContext context = context();
        GroupAttempts attempts = attempts(group("10.0.0.1:80", "10.0.0.2:80"), NextUpstreamPolicy.stream(true, 0,
                Duration.ZERO), context);

        assertThat(attempts.next()).isEqualTo(new Attempts.Connect(new InetSocketAddress("10.0.0.1", 80)));
        Attempts.Next retry = attempts.failed(new ConnectException("finishConnect(..) failed: Connection refused"), true);
        assertThat(retry).isEqualTo(new Attempts.Connect(new InetSocketAddress("10.0.0.2", 80)));
        nanos[0] += Duration.ofMillis(7).toNanos();
        attempts.connected();
        attempts.released();

        assertThat(log.lines).containsExactly("connect() failed (finishConnect(..) failed: Connection refused) while "
                + "connecting to upstream 10.0.0.1:80, client 192.0.2.5:40000");
        assertThat(context.now().upstreams()).containsExactly(UpstreamAttempt.failed("10.0.0.1:80"),
                UpstreamAttempt.connected("10.0.0.2:80", 7));
    }

    @Test
    void aTimeoutWithTheTriesUsedUpGivesUpSayingWhy() {
        GroupAttempts attempts = attempts(group("10.0.0.1:80", "10.0.0.2:80"), NextUpstreamPolicy.stream(true, 1,
                Duration.ZERO), context());
        attempts.next();

        Attempts.Next next = attempts.failed(new ConnectTimeoutException("connection timed out after 300 ms: x"), true);

        assertThat(next).isInstanceOfSatisfying(Attempts.GiveUp.class, giveUp -> assertThat(giveUp.why())
                .isInstanceOf(UpstreamUnavailableException.class)
                .hasMessageStartingWith("upstream timed out (connection timed out after 300 ms: x) while connecting to "
                        + "upstream 10.0.0.1:80, client 192.0.2.5:40000; "));
    }

    @Test
    void aClientThatWentAwayIsNotRetriedElsewhere() {
        GroupAttempts attempts = attempts(group("10.0.0.1:80", "10.0.0.2:80"), NextUpstreamPolicy.stream(true, 0,
                Duration.ZERO), context());
        attempts.next();

        Attempts.Next next = attempts.failed(new ConnectException("refused"), false);

        assertThat(next).isInstanceOfSatisfying(Attempts.GiveUp.class, giveUp ->
                assertThat(giveUp.why()).hasMessageEndingWith("; the client went away"));
    }

    @Test
    void noLiveServerGivesUpAtOnceAndRecordsTheGroupAsTheAddress() {
        SessionContext context = context();
        UpstreamGroup group = UpstreamGroup.create("pool", List.of(PeerSpec.of("10.0.0.1:80").asDown()),
                new BalancingMethod.RoundRobin(), () -> nanos[0], new SplittableRandom(1));
        GroupAttempts attempts = attempts(group, NextUpstreamPolicy.stream(true, 0, Duration.ZERO), context);

        assertThat(attempts.next()).isInstanceOfSatisfying(Attempts.GiveUp.class, giveUp ->
                assertThat(giveUp.why()).hasMessageContaining("no live upstreams"));
        assertThat(context.now().upstreams()).containsExactly(UpstreamAttempt.failed("pool"));
    }

    private UpstreamGroup group(String... servers) {
        return UpstreamGroup.create("pool", Arrays.stream(servers).map(PeerSpec::of).toList(),
                new BalancingMethod.RoundRobin(), () -> nanos[0], new SplittableRandom(1));
    }

    private GroupAttempts attempts(UpstreamGroup group, NextUpstreamPolicy policy, SessionContext context) {
        return new GroupAttempts(new UpstreamPlan(group, Optional.empty(), policy), context, CLIENT, () -> nanos[0],
                failures);
    }

    private static SessionContext context() {
        SessionContext context = SessionContext.detached(1, CLIENT, new InetSocketAddress("127.0.0.1", 80), CLOCK);
        context.proxyStageDone(Optional.empty());
        return context;
    }
}
