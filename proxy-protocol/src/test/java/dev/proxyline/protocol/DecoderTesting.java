package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Shorthands for decoder tests. */
final class DecoderTesting {
    static final ProxyHeaderDecoder DECODER = new ProxyHeaderDecoder(ProxyHeaderDecoder.V2_MAX_LENGTH);

    private DecoderTesting() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static DecodeResult decode(byte[] bytes) {
        return DECODER.decode(bytes);
    }

    static DecodeResult.Complete complete(byte[] bytes) {
        DecodeResult result = DECODER.decode(bytes);
        assertThat(result).as(describe(bytes)).isInstanceOf(DecodeResult.Complete.class);
        return (DecodeResult.Complete) result;
    }

    static DecodeResult.Invalid invalid(byte[] bytes, Reason reason) {
        DecodeResult result = DECODER.decode(bytes);
        assertThat(result).as(describe(bytes)).isInstanceOf(DecodeResult.Invalid.class);
        DecodeResult.Invalid invalid = (DecodeResult.Invalid) result;
        assertThat(invalid.reason()).as(invalid.message()).isEqualTo(reason);
        return invalid;
    }

    /**
     * Asserts that the decoder waits for the first {@code decidedAfter - 1} bytes and refuses with
     * {@code reason} once it has {@code decidedAfter}: it rejects as early as the bytes allow.
     */
    static DecodeResult.Invalid refusedAfter(byte[] bytes, int decidedAfter, Reason reason) {
        for (int n = 0; n < decidedAfter; n++) {
            assertThat(DECODER.decode(Arrays.copyOf(bytes, n))).as("the first %d bytes of %s", n, describe(bytes))
                    .isInstanceOf(DecodeResult.NeedMore.class);
        }
        return invalid(Arrays.copyOf(bytes, decidedAfter), reason);
    }

    static String describe(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
