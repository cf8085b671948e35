package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VerdictSmokeTest {
    static Stream<ConformanceVector> vectors() {
        return ConformanceVectors.decodeVectors();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verdictMatches(ConformanceVector v) {
        DecodeResult r = new ProxyHeaderDecoder(ProxyHeaderDecoder.V2_MAX_LENGTH).decode(v.bytes());
        
        if (v.valid()) {
            assertThat(r).isInstanceOf(DecodeResult.Complete.class);
            assertThat(((DecodeResult.Complete) r).length()).isEqualTo(v.expect().get().path("headerLength").asInt());
        } else if (!v.mayAccept()) {
            assertThat(r).isNotInstanceOf(DecodeResult.Complete.class);
        }
    }
}
