package dev.proxyline.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain TCP client bound to {@link Loopback#CLIENT}: writes bytes, reads until the peer closes
 * (or {@link #TIMEOUT}), and reports how the connection ended — what a misconfigured hop looks
 * like from the client's side.
 */
public final class RawClient {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RawClient() {
    }

    /** Sends {@code request} in one write and collects the answer. */
    public static Exchange exchange(InetSocketAddress target, byte[] request) {
        return exchange(target, request, TIMEOUT);
    }

    /** As {@link #exchange(InetSocketAddress, byte[])}, waiting up to {@code timeout} for each read. */
    public static Exchange exchange(InetSocketAddress target, byte[] request, Duration timeout) {
        try (Socket socket = Loopback.connectFromClient(target, timeout)) {
            InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            Ending ending;
            while (true) {
                try {
                    int n = in.read(chunk);
                    if (n < 0) {
                        ending = Ending.CLOSED;
                        break;
                    }
                    answer.write(chunk, 0, n);
                } catch (SocketTimeoutException e) {
                    ending = Ending.STILL_OPEN;
                    break;
                } catch (SocketException e) {
                    ending = Ending.RESET;
                    break;
                }
            }
            return new Exchange(local, answer.toByteArray(), ending);
        } catch (IOException e) {
            throw new UncheckedIOException("exchange with " + target + " failed", e);
        }
    }

    public static Exchange exchange(InetSocketAddress target, String request) {
        return exchange(target, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Header bytes followed by text, in one write, as a sending proxy does. */
    public static byte[] concat(byte[] header, String text) {
        byte[] rest = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[header.length + rest.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(rest, 0, out, header.length, rest.length);
        return out;
    }

    /** How the peer ended the connection. */
    public enum Ending {
        /** An orderly close (FIN) after whatever it answered. */
        CLOSED,
        /** A reset (RST). */
        RESET,
        /** Nothing closed it within the timeout. */
        STILL_OPEN
    }

    /** The client's own address, what the peer answered, and how it ended. */
    public record Exchange(InetSocketAddress client, byte[] answer, Ending ending) {
        public String text() {
            return new String(answer, StandardCharsets.ISO_8859_1);
        }

        /** The status line of an HTTP answer, or "" when there was none. */
        public String statusLine() {
            String text = text();
            int end = text.indexOf("\r\n");
            return end < 0 ? "" : text.substring(0, end);
        }

        /** The body of an HTTP answer (everything after the head). */
        public String body() {
            String text = text();
            int start = text.indexOf("\r\n\r\n");
            return start < 0 ? "" : text.substring(start + 4);
        }
    }
}
