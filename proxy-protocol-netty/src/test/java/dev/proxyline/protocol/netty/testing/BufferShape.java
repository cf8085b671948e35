package dev.proxyline.protocol.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/** The kinds of buffer a transport can hand over; each read is built fresh in one of them. */
public enum BufferShape {
    HEAP {
        @Override
        ByteBuf allocate(int capacity) {
            return Unpooled.buffer(capacity);
        }
    },
    DIRECT {
        @Override
        ByteBuf allocate(int capacity) {
            return Unpooled.directBuffer(capacity);
        }
    },
    /** Two components (heap then direct) wherever the read has two bytes or more. */
    COMPOSITE {
        @Override
        ByteBuf allocate(int capacity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ByteBuf of(byte[] bytes, int readerOffset) {
            int cut = bytes.length / 2;
            ByteBuf first = Unpooled.buffer(readerOffset + cut).writeZero(readerOffset).writeBytes(bytes, 0, cut);
            ByteBuf second = Unpooled.directBuffer(bytes.length - cut).writeBytes(bytes, cut, bytes.length - cut);
            CompositeByteBuf composite = Unpooled.compositeBuffer(2);
            composite.addComponents(true, first, second);
            composite.skipBytes(readerOffset);
            return composite;
        }
    };

    abstract ByteBuf allocate(int capacity);

    /** A buffer whose readable bytes are {@code bytes}, preceded by {@code readerOffset} bytes already read. */
    public ByteBuf of(byte[] bytes, int readerOffset) {
        ByteBuf buf = allocate(readerOffset + bytes.length);
        buf.writeZero(readerOffset).writeBytes(bytes).skipBytes(readerOffset);
        return buf;
    }
}
