package dev.proxyline.bench.load;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The client side of one short exchange with a {@link Receiver} in respond mode: an optional
 * PROXY v1 header, a fixed-size request, a fixed-size answer. Blocking sockets; the scripts bound
 * every tool's run time from outside.
 */
final class Exchange {
    static final int REQUEST_BYTES = 16;
    static final int RESPONSE_BYTES = 16;

    private Exchange() {
    }

    static SocketChannel open(InetSocketAddress target) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().setTcpNoDelay(true);
            channel.connect(target);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The header this client would get from a balancer: its own address to the one it dialled. */
    static byte[] proxyHeaderFor(SocketChannel channel) throws IOException {
        return ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1,
                (InetSocketAddress) channel.getLocalAddress(), (InetSocketAddress) channel.getRemoteAddress()));
    }

    /** Sends the (header and) request in one write and waits for the whole answer. */
    static void run(SocketChannel channel, boolean sendProxyHeader) throws IOException {
        byte[] header = sendProxyHeader ? proxyHeaderFor(channel) : new byte[0];
        ByteBuffer out = ByteBuffer.allocate(header.length + REQUEST_BYTES);
        out.put(header);
        while (out.hasRemaining()) {
            out.put((byte) 'q');
        }
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer in = ByteBuffer.allocate(RESPONSE_BYTES);
        while (in.hasRemaining()) {
            if (channel.read(in) < 0) {
                throw new EOFException("closed after " + in.position() + " of " + RESPONSE_BYTES + " answer bytes");
            }
        }
    }
}
