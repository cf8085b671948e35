package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HopByHopTest {
    @Test
    void theFixedHopByHopFieldsAreDroppedWhateverTheirCase() {
        HopByHop h = HopByHop.of(List.of());
        assertThat(h.drops("Connection")).isTrue();
        assertThat(h.drops("KEEP-ALIVE")).isTrue();
        assertThat(h.drops("transfer-encoding")).isTrue();
        assertThat(h.drops("Upgrade")).isTrue();
        assertThat(h.drops("Content-Length")).isFalse();
        assertThat(h.drops("X-Custom")).isFalse();
        assertThat(h.drops(new StringBuilder("Proxy-Authorization"))).isTrue(); // as Netty's decoder names fields
        assertThat(h.drops("TEA")).isFalse();
    }

    @Test
    void fieldsNamedByConnectionAreDroppedToo() {
        HopByHop h = HopByHop.of(List.of("close, X-Secret", " x-other "));
        assertThat(h.drops("x-secret")).isTrue();
        assertThat(h.drops("X-Other")).isTrue();
        assertThat(h.names("CLOSE")).isTrue();
        assertThat(h.names("upgrade")).isFalse();
    }

    @Test
    void theCommonSingleValuesNameOnlyThemselves() {
        HopByHop keepAlive = HopByHop.of(List.of("Keep-Alive"));
        assertThat(keepAlive.names("keep-alive")).isTrue();
        assertThat(keepAlive.names("close")).isFalse();
        assertThat(keepAlive.drops("X-Custom")).isFalse();
        HopByHop close = HopByHop.of(List.of("close"));
        assertThat(close.names("Close")).isTrue();
        assertThat(close.drops("Content-Type")).isFalse();
    }

    @Test
    void tokensAcrossFieldsAndEmptyListElementsAreParsed() {
        HopByHop h = HopByHop.of(List.of(",upgrade,,X-A ,", "keep-alive", "X-B"));
        assertThat(h.names("Upgrade")).isTrue();
        assertThat(h.drops("x-a")).isTrue();
        assertThat(h.drops("X-B")).isTrue();
        assertThat(h.drops("X-C")).isFalse();
    }

    @Test
    void valuesHandedOutOneByOneGiveTheSameSetAsAList() {
        assertThat(HopByHop.of(List.<CharSequence>of().iterator()).names("close")).isFalse();
        assertThat(HopByHop.of(List.of(new StringBuilder("Close")).iterator()).names("close")).isTrue();
        HopByHop one = HopByHop.of(List.of("X-A, keep-alive").iterator());
        assertThat(one.drops("x-a")).isTrue();
        assertThat(one.names("keep-alive")).isTrue();
        HopByHop two = HopByHop.of(List.of("close", "X-B").iterator());
        assertThat(two.names("close")).isTrue();
        assertThat(two.drops("X-B")).isTrue();
        assertThat(two.drops("X-C")).isFalse();
    }
}
