package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusTest {
    @Test
    void aDefinedCodeIsBoxedOnceAndAnyOtherCodeStillBoxesToItsValue() {
        assertThat(Status.boxed(200)).isSameAs(Status.boxed(200)).isEqualTo(200);
        assertThat(Status.boxed(0)).isEqualTo(0);
        assertThat(Status.boxed(599)).isSameAs(Status.boxed(599)).isEqualTo(599);
        assertThat(Status.boxed(600)).isEqualTo(600);
        assertThat(Status.boxed(-1)).isEqualTo(-1);
    }
}
