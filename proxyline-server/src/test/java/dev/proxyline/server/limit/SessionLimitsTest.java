package dev.proxyline.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ErrorLog;
import dev.proxyline.config.LimitConnOptions;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Sessions;
import dev.proxyline.server.variables.Template;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream {@code limit_conn} check of one session, without a network. */
class SessionLimitsTest {
    private final RequestCountZone addr = new RequestCountZone("addr", 1 << 20);
    private final RequestCountZone port = new RequestCountZone("port", 1 << 20);

    @Test
    void aKeyAtItsCapRefusesAndTheCountsAreHeldUntilReleased() {
        SessionLimits limits = limits(false, new SessionLimits.Limit(addr, key("$remote_addr"), 2));
        SessionLimits.Check first = limits.check(from("192.0.2.1"));
        SessionLimits.Check second = limits.check(from("192.0.2.1"));
        assertThat(first.status()).isEqualTo(SessionLimits.PASSED);
        assertThat(second.refused()).isFalse();
        SessionLimits.Check third = limits.check(from("192.0.2.1"));
        assertThat(third.refused()).isTrue();
        assertThat(third.status()).isEqualTo(SessionLimits.REJECTED);
        assertThat(third.limitedBy()).contains("addr");
        assertThat(limits.check(from("192.0.2.2")).refused()).as("another key").isFalse();

        first.release();
        first.release();
        assertThat(addr.inProgress("192.0.2.1")).as("released once, however often asked").isEqualTo(1);
        third.release();
        assertThat(addr.inProgress("192.0.2.1")).as("a refused session holds nothing").isEqualTo(1);
        assertThat(limits.check(from("192.0.2.1")).refused()).isFalse();
    }

    @Test
    void aRefusalGivesBackWhatEarlierLimitsCountedAndLooksNoFurther() {
        RequestCountZone third = new RequestCountZone("third", 1 << 20);
        SessionLimits limits = limits(false, new SessionLimits.Limit(addr, key("$remote_addr"), 10),
                new SessionLimits.Limit(port, key("$server_port"), 1),
                new SessionLimits.Limit(third, key("$remote_addr"), 10));
        SessionLimits.Check held = limits.check(from("192.0.2.1"));
        SessionLimits.Check refused = limits.check(from("192.0.2.2"));
        assertThat(refused.limitedBy()).contains("port");
        assertThat(addr.inProgress("192.0.2.2")).isZero();
        assertThat(third.inProgress("192.0.2.2")).isZero();
        held.release();
        assertThat(addr.inProgress("192.0.2.1")).isZero();
        assertThat(port.inProgress("443")).isZero();
    }

    @Test
    void aDryRunNamesTheZoneButLetsTheSessionOnHoldingNothing() {
        SessionLimits limits = limits(true, new SessionLimits.Limit(addr, key("$remote_addr"), 1));
        limits.check(from("192.0.2.1"));
        SessionLimits.Check over = limits.check(from("192.0.2.1"));
        assertThat(over.refused()).isFalse();
        assertThat(over.limitedBy()).contains("addr");
        assertThat(over.status()).isEqualTo(SessionLimits.REJECTED_DRY_RUN);
        over.release();
        assertThat(addr.inProgress("192.0.2.1")).isEqualTo(1);
    }

    @Test
    void anEmptyKeyIsNotCountedAndLeavesTheStatusNotFound() {
        SessionLimits limits = limits(false, new SessionLimits.Limit(addr, key("$proxy_protocol_addr"), 1));
        SessionLimits.Check check = limits.check(from("192.0.2.1"));
        assertThat(check.status()).isEmpty();
        assertThat(limits.check(from("192.0.2.1")).refused()).isFalse();
        assertThat(SessionLimits.none().isEmpty()).isTrue();
    }

    @Test
    void aFullZoneRefusesNewKeysWithoutNamingAZone() {
        RequestCountZone tiny = new RequestCountZone("tiny", 64);
        SessionLimits limits = limits(false, new SessionLimits.Limit(tiny, key("$remote_addr"), 5));
        assertThat(limits.check(from("192.0.2.1")).refused()).isFalse();
        assertThat(limits.check(from("192.0.2.1")).refused()).as("a key it holds").isFalse();
        SessionLimits.Check refused = limits.check(from("192.0.2.2"));
        assertThat(refused.refused()).isTrue();
        assertThat(refused.status()).isEqualTo(SessionLimits.REJECTED);
        assertThat(refused.limitedBy()).as("no line, as nginx writes none").isEmpty();
    }

    private static SessionLimits limits(boolean dryRun, SessionLimits.Limit... limits) {
        return new SessionLimits(List.of(limits), new LimitConnOptions(ErrorLog.Level.ERROR, dryRun));
    }

    private static Template key(String text) {
        return Template.compile(text, Sessions.table());
    }

    private static SessionSnapshot from(String client) {
        return SessionSnapshot.builder(1, new InetSocketAddress(client, 40000), Sessions.LOCAL).snapshot(Sessions.NOW);
    }
}
