package dev.proxyline.it.harness;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import org.junit.jupiter.api.Assertions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A loopback backend that reads a PROXY header with {@link ProxyHeaderDecoder} from every connection
 * a real sender (nginx, HAProxy, curl) makes, as a receiving proxyline would: it decodes after each
 * read, on everything received so far, so the sender's segmentation is exercised too.
 *
 * <p>After the header it keeps reading until {@code payloadComplete} holds for the bytes after the
 * header (or the sender closes, or {@link #READ_TIMEOUT} passes), answers {@code response}, closes,
 * and queues what it saw. Connections relayed from {@link Loopback#PROBE} (the harness's readiness
 * probes) are not queued.
 */
public final class ProxyReceiver implements AutoCloseable {
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket server;
    private final ExecutorService connections;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Predicate<byte[]> payloadComplete;
    private final byte[] response;

    private ProxyReceiver(ServerSocket server, Predicate<byte[]> payloadComplete, byte[] response) {
        this.server = server;
        this.payloadComplete = payloadComplete;
        this.response = response;
        this.connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "proxy-receiver " + server.getLocalSocketAddress());
            thread.setDaemon(true);
            return thread;
        });
        connections.execute(this::acceptLoop);
    }

    /** Listens on {@link Loopback#BACKEND}, on a free port. */
    public static ProxyReceiver start(Predicate<byte[]> payloadComplete, String response) {
        return start(payloadComplete, response, Loopback.BACKEND);
    }

    /** Listens on {@code address} (such as {@code ::1}), on a free port. */
    public static ProxyReceiver start(Predicate<byte[]> payloadComplete, String response, InetAddress address) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(address, 0));
            return new ProxyReceiver(server, payloadComplete, response.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload is complete once it holds {@code count} bytes. */
    public static Predicate<byte[]> bytes(int count) {
        return payload -> payload.length >= count;
    }

    /** The payload is complete once it holds an HTTP request head (bodies are not used here). */
    public static Predicate<byte[]> httpRequestHead() {
        return payload -> new String(payload, StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The next connection's result, in the order connections finished; fails after {@code timeout}. */
    public Received next(Duration timeout) {
        try {
            Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return next != null ? next : Assertions.fail("no connection reached the receiver within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The next connection whose header names {@code client} as its source, skipping the others
     * (such as relayed readiness probes of an IPv6 listener, which cannot be told apart by address).
     */
    public Received nextFrom(InetSocketAddress client, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received next = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (next.result() instanceof DecodeResult.Complete complete
                    && complete.header().sourceAddress().filter(client::equals).isPresent()) {
                return next;
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> serve(socket));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DecodeResult result = DecodeResult.needMore();
        boolean closedBySender = false;
        boolean timedOut = false;
        int reads = 0;
        try (socket) {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            while (true) {
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    timedOut = true;
                    break;
                }
                if (n < 0) {
                    closedBySender = true;
                    break;
                }
                reads++;
                bytes.write(chunk, 0, n);
                byte[] all = bytes.toByteArray();
                if (result instanceof DecodeResult.NeedMore) {
                    result = decoder.decode(all);
                }
                if (result instanceof DecodeResult.Invalid) {
                    break;
                }
                if (result instanceof DecodeResult.Complete complete
                        && payloadComplete.test(Arrays.copyOfRange(all, complete.length(), all.length))) {
                    socket.getOutputStream().write(response);
                    socket.getOutputStream().flush();
                    break;
                }
            }
        } catch (IOException e) {
            // A reset from the sender still leaves what was read worth reporting.
            closedBySender = true;
        }
        if (result instanceof DecodeResult.Complete complete && complete.header().sourceAddress()
                .filter(source -> source.getAddress().equals(Loopback.PROBE)).isPresent()) {
            return;
        }
        received.add(new Received(result, bytes.toByteArray(), (InetSocketAddress) socket.getRemoteSocketAddress(),
                reads, closedBySender, timedOut));
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
        connections.shutdownNow();
    }

    /**
     * What one connection brought: the decoder's verdict on it, every byte received, the socket
     * address of the sender (the proxy, not the client), and how the reading ended.
     */
    public record Received(DecodeResult result, byte[] bytes, InetSocketAddress sender, int reads,
                           boolean closedBySender, boolean timedOut) {

        /** The decoded header; fails with the bytes and the decoder's message otherwise. */
        public ProxyHeader header() {
            return complete().header();
        }

        /**
         * The complete result. Before handing it out it checks that the decoder agrees with itself
         * on these real bytes however they are split: every strict prefix of the header is
         * {@code NeedMore}, and the header on its own decodes to the same result.
         */
        public DecodeResult.Complete complete() {
            if (result instanceof DecodeResult.Complete complete) {
                requireSameVerdictForEveryPrefix(complete);
                return complete;
            }
            return Assertions.fail("expected a complete PROXY header from " + sender + ", got " + result
                    + " for bytes " + hex(bytes));
        }

        /** The bytes after the header, which the receiver must pass on unchanged. */
        public byte[] payload() {
            return Arrays.copyOfRange(bytes, complete().length(), bytes.length);
        }

        public String payloadText() {
            return new String(payload(), StandardCharsets.ISO_8859_1);
        }

        /** The header's own bytes, in hex, for messages and docs. */
        public String headerHex() {
            return hex(Arrays.copyOf(bytes, complete().length()));
        }

        private void requireSameVerdictForEveryPrefix(DecodeResult.Complete complete) {
            ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
            for (int n = 1; n < complete.length(); n++) {
                DecodeResult prefix = decoder.decode(bytes, 0, n);
                if (!(prefix instanceof DecodeResult.NeedMore)) {
                    Assertions.fail("the first " + n + " bytes of a header that decodes whole gave " + prefix
                            + " instead of NeedMore; header " + hex(Arrays.copyOf(bytes, complete.length())));
                }
            }
            DecodeResult alone = decoder.decode(bytes, 0, complete.length());
            if (!complete.equals(alone)) {
                Assertions.fail("the header alone decodes to " + alone + ", with what followed it to " + complete);
            }
        }

        static String hex(byte[] bytes) {
            StringBuilder out = new StringBuilder(bytes.length * 2);
            for (byte b : bytes) {
                out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return out.toString();
        }
    }
}
