package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionSlotsTest {

    @Test
    void admitsUpToTheLimitAndAgainAfterARelease() {
        ConnectionSlots slots = new ConnectionSlots(2);
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isFalse();
        assertThat(slots.open()).isEqualTo(2);
        slots.release();
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.open()).isEqualTo(2);
    }

    @Test
    void releasingMoreThanWasTakenIsABug() {
        ConnectionSlots slots = new ConnectionSlots(1);
        assertThatThrownBy(slots::release).isInstanceOf(IllegalStateException.class);
        assertThat(slots.open()).isZero();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new ConnectionSlots(0)).hasMessageContaining("worker_connections: 0");
    }
}
