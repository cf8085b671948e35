package dev.proxyline.protocol.testing;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * Plays a connection handler: appends each read to the received bytes and decodes them all after
 * every read, stopping at the first answer that is not {@link DecodeResult.NeedMore}.
 */
public final class Receiver {
    private Receiver() {
    }

    /**
     * What the receiver ended with.
     *
     * @param result the first answer that is not need-more, or need-more if the reads ran out first
     * @param received how many bytes had arrived when it was given
     * @param receivedBefore how many bytes had arrived before the read that produced it
     * @param reads how many reads were taken
     * @param payload for a complete header, the received bytes after it; empty otherwise
     */
    public record Outcome(DecodeResult result, int received, int receivedBefore, int reads, byte[] payload) {
    }

    /** Delivers {@code reads} into memory of {@code kind}. */
    public static Outcome receive(ProxyHeaderDecoder decoder, List<byte[]> reads, BufferKind kind) {
        int total = 0;
        for (byte[] read : reads) {
            total += read.length;
        }
        BufferKind.Memory memory = kind.allocate(total);
        byte[] all = new byte[total];
        DecodeResult result = DecodeResult.needMore();
        int before = 0;
        int taken = 0;
        for (byte[] read : reads) {
            before = memory.received();
            System.arraycopy(read, 0, all, before, read.length);
            memory.append(read);
            taken++;
            result = memory.decode(decoder);
            if (!(result instanceof DecodeResult.NeedMore)) {
                break;
            }
        }
        byte[] payload = result instanceof DecodeResult.Complete complete && complete.length() <= memory.received()
                ? Arrays.copyOfRange(all, complete.length(), memory.received())
                : new byte[0];
        return new Outcome(result, memory.received(), before, taken, payload);
    }

    /** Delivers {@code bytes} as {@code delivery} splits them, into a plain array. */
    public static Outcome receive(ProxyHeaderDecoder decoder, byte[] bytes, Delivery delivery, long seed) {
        return receive(decoder, delivery.split(bytes, seed), BufferKind.ARRAY_RANGE);
    }
}
