package dev.proxyline.server.app;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A blocking echo server on loopback, one thread per connection. When it expects a PROXY header it
 * decodes one first (the decoder checks CRC32C) and queues it, or queues the decoder's refusal;
 * everything after the header is echoed.
 */
final class Backend implements AutoCloseable {
    private final ServerSocket server;
    private final boolean expectHeader;
    private final Thread acceptor;
    final BlockingQueue<Object> headers = new LinkedBlockingQueue<>();
    /** The source address of every accepted connection, in order. */
    final BlockingQueue<InetSocketAddress> peers = new LinkedBlockingQueue<>();

    private Backend(boolean expectHeader) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.expectHeader = expectHeader;
        this.acceptor = new Thread(this::acceptLoop, "test-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Echoes every byte. */
    static Backend echo() throws IOException {
        return new Backend(false);
    }

    /** Decodes a PROXY header, then echoes. */
    static Backend expectingHeader() throws IOException {
        return new Backend(true);
    }

    int port() {
        return server.getLocalPort();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The next header received (or the decoder's {@link DecodeResult.Invalid}), waiting up to 5 s. */
    Object nextHeader() throws InterruptedException {
        Object header = headers.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        if (header == null) {
            throw new AssertionError("the backend received no PROXY header within 5 s");
        }
        return header;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                peers.add((InetSocketAddress) s.getRemoteSocketAddress());
                Thread t = new Thread(() -> serve(s), "test-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[64 * 1024];
            if (expectHeader && !readHeader(in, out)) {
                return;
            }
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            s.shutdownOutput();
        } catch (IOException e) {
            // The proxy may reset; the test's assertions say what matters.
        }
    }

    /** Reads until a header decodes; queues it and echoes what followed it. */
    private boolean readHeader(InputStream in, OutputStream out) throws IOException {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                headers.add("EOF before a complete header");
                return false;
            }
            seen.write(buf, 0, n);
            byte[] all = seen.toByteArray();
            DecodeResult result = decoder.decode(all);
            if (result instanceof DecodeResult.Complete complete) {
                headers.add(complete.header());
                out.write(all, complete.length(), all.length - complete.length());
                out.flush();
                return true;
            }
            if (result instanceof DecodeResult.Invalid invalid) {
                headers.add(invalid);
                return false;
            }
        }
    }

    /** A port nothing listens on (bound, then closed), for refused connections. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Casts the result of {@link #nextHeader()}, failing with the refusal if it was one. */
    static ProxyHeader header(Object received) {
        if (received instanceof ProxyHeader header) {
            return header;
        }
        throw new AssertionError("the backend did not get a valid PROXY header: " + received);
    }
}
