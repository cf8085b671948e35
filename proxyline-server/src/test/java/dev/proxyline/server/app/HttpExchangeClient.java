package dev.proxyline.server.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw-socket HTTP/1.x client for the ingress tests: writes bytes as given, parses one response at a time. */
final class HttpExchangeClient implements AutoCloseable {
    /** A parsed response; {@code headers} keys are lower case; {@code bytes} the body as received (up to 1 MiB). */
    record Response(int status, Map<String, String> headers, String body, long bodyLength, byte[] bytes) {
        /** The body, gunzipped. */
        String gunzipped() throws IOException {
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    HttpExchangeClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response; bodies over 1 MiB are counted, not kept. {@code head} is for HEAD requests. */
    Response read() throws IOException {
        return read(false);
    }

    Response read(boolean head) throws IOException {
        String status = line();
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        if (head || code == 204 || code == 304 || (code >= 100 && code < 200)) {
            return new Response(code, headers, "", 0, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long length = 0;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                long size = Long.parseLong(line().split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                length += copy(size, body);
                line();
            }
        } else if (headers.containsKey("content-length")) {
            length = copy(Long.parseLong(headers.get("content-length")), body);
        } else {
            length = copy(Long.MAX_VALUE, body);
        }
        return new Response(code, headers, body.toString(StandardCharsets.UTF_8), length, body.toByteArray());
    }

    private long copy(long n, ByteArrayOutputStream body) throws IOException {
        byte[] buf = new byte[65536];
        long done = 0;
        while (done < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                if (n == Long.MAX_VALUE) break;
                throw new IOException("EOF after " + done + " of " + n + " body bytes");
            }
            if (body.size() < (1 << 20)) body.write(buf, 0, r);
            done += r;
        }
        return done;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("EOF in a response line after \"" + sb + "\"");
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    /** True if the server closed the connection (EOF) within the socket's read timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
