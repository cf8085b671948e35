package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OcspGetRequestTest {
    private static String encode(String path, String host, byte[] der) {
        return new String(OcspGetRequest.encode(new OcspResponderUrl(host, 80, path, Optional.empty()), der),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void theRequestIsBase64InThePathWithPlusSlashAndEqualsEscaped() {
        // base64 of FB FF BF is "+/+/"; of FB F0 it is "+/A=".
        assertThat(encode("/", "ocsp.test", new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xbf}))
                .isEqualTo("GET /%2B%2F%2B%2F HTTP/1.0\r\nHost: ocsp.test\r\n\r\n");
        assertThat(encode("/", "ocsp.test", new byte[] {(byte) 0xfb, (byte) 0xf0}))
                .isEqualTo("GET /%2B%2FA%3D HTTP/1.0\r\nHost: ocsp.test\r\n\r\n");
    }

    @Test
    void aPathWithoutAFinalSlashGetsOneAndTheHostIsAsWrittenWithoutThePort() {
        assertThat(encode("/ocsp", "127.0.0.1", new byte[] {0x30, 0x03}))
                .isEqualTo("GET /ocsp/MAM%3D HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(encode("/a/", "[::1]", new byte[] {0x30, 0x03}))
                .isEqualTo("GET /a/MAM%3D HTTP/1.0\r\nHost: [::1]\r\n\r\n");
    }

    @Test
    void aLongRequestIsStillAGet() {
        byte[] der = new byte[600];
        String request = encode("/", "ocsp.test", der);
        assertThat(request).startsWith("GET /AAAA").endsWith(" HTTP/1.0\r\nHost: ocsp.test\r\n\r\n");
        assertThat(request.length()).isGreaterThan(800);
    }
}
