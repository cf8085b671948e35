package dev.proxyline.server.http.realip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {
    @Test
    void builderChangesOnlyTheCopyAndKeepsOrder() {
        Headers in = Headers.of("Host", "a", "X-Real-IP", "1.1.1.1", "Accept", "*/*", "x-real-ip", "2.2.2.2");

        Headers out = in.toBuilder()
                .removeAll(List.of("X-REAL-IP", "Forwarded"))
                .add("X-Real-IP", "3.3.3.3")
                .set("host", "b")
                .remove("missing")
                .build();

        assertThat(out).isEqualTo(Headers.of("Accept", "*/*", "X-Real-IP", "3.3.3.3", "host", "b"));
        assertThat(in.fields()).hasSize(4);
    }
}
