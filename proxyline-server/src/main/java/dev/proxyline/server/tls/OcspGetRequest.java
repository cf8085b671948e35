package dev.proxyline.server.tls;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The HTTP request that carries an OCSP request, written as nginx writes it: {@code GET}, the responder's path, a
 * {@code /} unless the path ends with one, the DER request in standard base64 with {@code +}, {@code /} and {@code =}
 * percent-escaped, HTTP/1.0 and a {@code Host} field with the host as written (no port), whatever the length (nginx
 * never falls back to POST for a long request). Plain Java.
 */
final class OcspGetRequest {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private OcspGetRequest() {
    }

    static byte[] encode(OcspResponderUrl url, byte[] der) {
        byte[] base64 = Base64.getEncoder().encode(der);
        StringBuilder out = new StringBuilder(base64.length * 2 + url.path().length() + url.host().length() + 32);
        out.append("GET ").append(url.path());
        if (!url.path().endsWith("/")) out.append('/');
        for (byte b : base64) {
            if (b == '+' || b == '/' || b == '=') {
                out.append('%').append((char) HEX[(b >> 4) & 0xf]).append((char) HEX[b & 0xf]);
            } else {
                out.append((char) b);
            }
        }
        out.append(" HTTP/1.0\r\nHost: ").append(url.host()).append("\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
