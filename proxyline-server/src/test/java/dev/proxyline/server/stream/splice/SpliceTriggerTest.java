package dev.proxyline.server.stream.splice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpliceTriggerTest {

    @Test
    void firesOnAReadThatFillsTheBuffer() {
        SpliceTrigger t = new SpliceTrigger(true, 16384);
        assertThat(t.fullRead(0)).isFalse();
        assertThat(t.fullRead(16383)).isFalse();
        assertThat(t.fullRead(16384)).isTrue();
    }

    @Test
    void staysArmedUntilDisarmed() {
        SpliceTrigger t = new SpliceTrigger(true, 100);
        assertThat(t.fullRead(100)).isTrue();
        assertThat(t.armed()).isTrue();
        t.disarm();
        assertThat(t.armed()).isFalse();
        assertThat(t.fullRead(100)).isFalse();
    }

    @Test
    void neverFiresWhenSplicingIsNotAllowed() {
        SpliceTrigger t = new SpliceTrigger(false, 100);
        assertThat(t.armed()).isFalse();
        assertThat(t.fullRead(1 << 20)).isFalse();
    }
}
