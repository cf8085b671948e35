package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import dev.proxyline.protocol.testing.ExpectedHeader;
import dev.proxyline.protocol.testing.VectorInputs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public encode vector: build the header from {@code input}, encode it, compare. */
class ConformanceEncodeTest {
    private static final HexFormat HEX = HexFormat.of();

    static Stream<ConformanceVector> vectors() {
        return ConformanceVectors.encodeVectors();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesWhatTheVectorExpects(ConformanceVector vector) {
        ProxyHeader header = VectorInputs.header(vector.input().orElseThrow());
        byte[] encoded = ProxyHeaderEncoder.encode(header);

        if ("semantic".equals(vector.compare())) {
            DecodeResult decoded = new ProxyHeaderDecoder().decode(encoded);
            assertThat(decoded).isInstanceOf(DecodeResult.Complete.class);
            ExpectedHeader.assertMatches(vector.expect().orElseThrow(), (DecodeResult.Complete) decoded, encoded);
        } else {
            assertThat(HEX.formatHex(encoded)).isEqualTo(HEX.formatHex(vector.bytes()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodedHeaderDecodesToTheVectorsExpectation(ConformanceVector vector) {
        byte[] encoded = ProxyHeaderEncoder.encode(VectorInputs.header(vector.input().orElseThrow()));
        DecodeResult decoded = new ProxyHeaderDecoder().decode(encoded);
        assertThat(decoded).isInstanceOf(DecodeResult.Complete.class);
        ExpectedHeader.assertMatches(vector.expect().orElseThrow(), (DecodeResult.Complete) decoded, encoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodingIntoAnyBufferWritesTheSameBytesAtItsPosition(ConformanceVector vector) {
        ProxyHeader header = VectorInputs.header(vector.input().orElseThrow());
        byte[] expected = ProxyHeaderEncoder.encode(header);
        assertThat(ProxyHeaderEncoder.encodedLength(header)).isEqualTo(expected.length);
        for (ByteBuffer out : new ByteBuffer[] {
                ByteBuffer.allocate(expected.length + 10).position(3),
                ByteBuffer.allocateDirect(expected.length + 10).order(ByteOrder.LITTLE_ENDIAN).position(5),
                ByteBuffer.wrap(new byte[expected.length + 20]).position(9).slice().position(2)}) {
            int start = out.position();
            ProxyHeaderEncoder.encode(header, out);
            assertThat(out.position() - start).isEqualTo(expected.length);
            byte[] written = new byte[expected.length];
            out.get(start, written);
            assertThat(HEX.formatHex(written)).as(out.toString()).isEqualTo(HEX.formatHex(expected));
        }
    }
}
