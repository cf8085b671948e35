package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class StatusRequestTest {
    /** A ClientHello body from client_version on: a session id, two suites, null compression, {@code extensions}. */
    private static ByteBuf hello(int... extensionTypes) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(0x0303).writeZero(32);
        b.writeByte(32).writeZero(32);
        b.writeShort(4).writeShort(0x1301).writeShort(0xc02f);
        b.writeByte(1).writeByte(0);
        ByteBuf extensions = Unpooled.buffer();
        for (int type : extensionTypes) {
            byte[] data = type == 5 ? new byte[] {1, 0, 0, 0, 0} : new byte[] {0, 1, 2};
            extensions.writeShort(type).writeShort(data.length).writeBytes(data);
        }
        b.writeShort(extensions.readableBytes()).writeBytes(extensions);
        extensions.release();
        return b;
    }

    @Test
    void theStatusRequestExtensionIsFoundWhereverItIs() {
        for (ByteBuf h : new ByteBuf[] {hello(5), hello(0, 5), hello(0, 16, 43, 5), hello(0x0005)}) {
            assertThat(StatusRequest.asked(h)).isTrue();
            h.release();
        }
    }

    @Test
    void aHelloWithoutItOrCutShortOrNoneAsksNothing() {
        ByteBuf without = hello(0, 16, 43, 0x0500);
        assertThat(StatusRequest.asked(without)).isFalse();
        without.release();
        ByteBuf with = hello(0, 5);
        // Cut before the extension's type is complete.
        assertThat(StatusRequest.asked(with.slice(0, with.writerIndex() - 9 + 1))).isFalse();
        // A reader index that is not zero.
        ByteBuf shifted = Unpooled.buffer().writeZero(7).writeBytes(with);
        shifted.readerIndex(7);
        assertThat(StatusRequest.asked(shifted)).isTrue();
        shifted.release();
        with.release();
        assertThat(StatusRequest.asked(null)).isFalse();
        assertThat(StatusRequest.asked(Unpooled.EMPTY_BUFFER)).isFalse();
    }
}
