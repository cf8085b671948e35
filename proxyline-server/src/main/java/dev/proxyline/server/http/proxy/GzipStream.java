package dev.proxyline.server.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * One response body being compressed with the JDK's zlib: each part is deflated as it passes and flushed (so a
 * streamed response is never held back), the gzip trailer goes with the last part. Owns a native Deflater until
 * the last part or {@link #close()}, whichever comes first; one event loop only.
 */
final class GzipStream implements AutoCloseable {
    private final Sink sink;
    private final GZIPOutputStream gzip;
    private boolean ended;

    GzipStream(int level, ByteBufAllocator alloc) {
        this.sink = new Sink(alloc);
        try {
            this.gzip = new LeveledGzip(sink, level); // writes the gzip header into the sink
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
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
        try {
            input.readBytes(gzip, input.readableBytes());
            if (last) {
                gzip.finish();
                end();
            } else {
                gzip.flush(); // SYNC_FLUSH: the client can decode everything sent so far
            }
            return sink.take();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink writes to memory and does not fail
        } finally {
            input.release();
        }
    }

    /** Frees the Deflater and whatever was not taken; for a response that ends early. */
    @Override
    public void close() {
        end();
        sink.discard();
    }

    private void end() {
        if (!ended) {
            ended = true;
            try {
                gzip.close(); // ends the Deflater (its own); writes nothing more once finished
            } catch (IOException ignored) {
                // the sink writes to memory
            }
        }
    }

    /** GZIPOutputStream with its own Deflater at {@code gzip_comp_level}, flushing with SYNC_FLUSH. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 8192, true);
            def.setLevel(level);
        }
    }

    /** Collects the compressed bytes into a buffer that each part takes away. */
    private static final class Sink extends OutputStream {
        private final ByteBufAllocator alloc;
        private ByteBuf current;

        Sink(ByteBufAllocator alloc) {
            this.alloc = alloc;
        }

        @Override
        public void write(int b) {
            buffer().writeByte(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            buffer().writeBytes(bytes, offset, length);
        }

        private ByteBuf buffer() {
            if (current == null) {
                current = alloc.buffer();
            }
            return current;
        }

        ByteBuf take() {
            ByteBuf taken = current == null ? alloc.buffer(0) : current;
            current = null;
            return taken;
        }

        void discard() {
            if (current != null) {
                current.release();
                current = null;
            }
        }
    }
}
