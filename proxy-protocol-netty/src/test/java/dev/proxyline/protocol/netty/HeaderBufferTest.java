package dev.proxyline.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HeaderBufferTest {

    @Test
    void neverHoldsMoreThanTheMaximumHeaderLength() {
        HeaderBuffer buffer = new HeaderBuffer(new ProxyHeaderDecoder(200));
        // A v2 LOCAL header announcing 184 bytes after the fixed part (200 in all: an opaque block of
        // zeros, as a health check may send), fed one byte at a time.
        byte[] header = new byte[200];
        System.arraycopy(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a201100b8"), 0, header, 0, 16);
        DecodeResult result = null;
        for (int i = 0; i < header.length; i++) {
            ByteBuf read = Unpooled.wrappedBuffer(header, i, 1);
            result = buffer.offer(read);
            read.release();
            assertThat(buffer.held()).isLessThanOrEqualTo(200);
        }
        assertThat(result).isInstanceOf(DecodeResult.Complete.class);
    }

    @Test
    void aLongerHeaderIsRefusedAsSoonAsItsLengthIsKnown() {
        HeaderBuffer buffer = new HeaderBuffer(new ProxyHeaderDecoder(200));
        ByteBuf read = Unpooled.wrappedBuffer(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a201100b9"));
        DecodeResult result = buffer.offer(read);
        read.release();
        assertThat(result).isInstanceOfSatisfying(DecodeResult.Invalid.class,
                invalid -> assertThat(invalid.reason()).isEqualTo(Reason.V2_TOO_LONG));
    }

    @Test
    void headerBytesInTheLastReadCountOnlyWhatThatReadAdded() {
        HeaderBuffer buffer = new HeaderBuffer(new ProxyHeaderDecoder());
        byte[] line = "PROXY UNKNOWN\\r\\nrest".replace("\\r", "\r").replace("\\n", "\n").getBytes();
        ByteBuf first = Unpooled.wrappedBuffer(line, 0, 10);
        assertThat(buffer.offer(first)).isInstanceOf(DecodeResult.NeedMore.class);
        first.release();
        ByteBuf second = Unpooled.wrappedBuffer(line, 10, line.length - 10);
        DecodeResult.Complete complete = (DecodeResult.Complete) buffer.offer(second);
        second.release();
        assertThat(complete.length()).isEqualTo(15);
        assertThat(buffer.headerBytesIn(complete)).isEqualTo(5);
    }
}
