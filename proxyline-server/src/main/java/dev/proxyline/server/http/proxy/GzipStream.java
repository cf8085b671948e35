package dev.proxyline.server.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One response body being compressed into the gzip format (RFC 1952) with the JDK's zlib: each part is deflated
 * straight from the received buffer into a pooled one (no copy through arrays) and flushed with SYNC_FLUSH, so a
 * streamed response is never held back; the trailer goes with the last part. Owns a native Deflater until the
 * last part or {@link #close()}, whichever comes first; one event loop only.
 */
final class GzipStream implements AutoCloseable {
    /** Magic, deflate, no flags, no modification time, no extra flags, operating system unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** Room added to the output buffer whenever zlib has filled it. */
    private static final int GROWTH = 1024;

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final ByteBufAllocator alloc;
    private boolean started;
    private long inputSize;
    private boolean ended;

    GzipStream(int level, ByteBufAllocator alloc) {
        this.deflater = new Deflater(level, true); // raw deflate: the gzip framing is written here
        this.alloc = alloc;
    }

    /** A whole body compressed at once; {@code body} is released. */
    static ByteBuf compressWhole(ByteBuf body, int level, ByteBufAllocator alloc) {
        try (GzipStream stream = new GzipStream(level, alloc)) {
            return stream.deflate(body, true);
        }
    }

    /** {@code content} compressed; its buffer is released. The last part ends the stream, trailers kept. */
    HttpContent next(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        ByteBuf compressed = deflate(content.content(), last);
        if (last) {
            LastHttpContent end = new DefaultLastHttpContent(compressed);
            end.trailingHeaders().set(((LastHttpContent) content).trailingHeaders());
            return end;
        }
        return new DefaultHttpContent(compressed);
    }

    private ByteBuf deflate(ByteBuf input, boolean last) {
        ByteBuf out = alloc.buffer(HEADER.length + input.readableBytes() / 2 + GROWTH);
        try {
            if (!started) {
                started = true;
                out.writeBytes(HEADER);
            }
            inputSize += input.readableBytes();
            ByteBuffer in = input.nioBuffer();
            crc.update(in.duplicate());
            deflater.setInput(in);
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    deflateInto(out, Deflater.NO_FLUSH);
                }
                out.writeIntLE((int) crc.getValue());
                out.writeIntLE((int) inputSize); // ISIZE: the length modulo 2^32
                end();
            } else {
                // SYNC_FLUSH: the client can decode everything sent so far. A full output buffer may hide more.
                while (deflateInto(out, Deflater.SYNC_FLUSH)) {
                    // grow and go on
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            input.release();
        }
    }

    /** One deflate call into {@code out}'s free space; true if it filled that space. */
    private boolean deflateInto(ByteBuf out, int flush) {
        out.ensureWritable(GROWTH);
        int room = out.writableBytes();
        ByteBuffer target = out.nioBuffer(out.writerIndex(), room);
        int written = deflater.deflate(target, flush);
        out.writerIndex(out.writerIndex() + written);
        return written == room;
    }

    /** Frees the Deflater; for a response that ends early (safe after the last part too). */
    @Override
    public void close() {
        end();
    }

    private void end() {
        if (!ended) {
            ended = true;
            deflater.end();
        }
    }
}
