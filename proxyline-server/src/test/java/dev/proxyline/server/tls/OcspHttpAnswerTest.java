package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OcspHttpAnswerTest {
    private static final byte[] DER = {0x30, 0x03, 0x0a, 0x01, 0x00};

    private static OcspHttpAnswer.Read read(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return OcspHttpAnswer.read(out.toByteArray());
    }

    private static String problem(String head) {
        OcspHttpAnswer.Read read = read(head, DER);
        assertThat(read).isInstanceOf(OcspHttpAnswer.Problem.class);
        return ((OcspHttpAnswer.Problem) read).reason();
    }

    @Test
    void theBodyIsWhatFollowsTheHeadersWhateverContentLengthSays() {
        assertThat(((OcspHttpAnswer.Body) read("HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\n"
                + "Content-Length: 2\r\n\r\n", DER)).der()).isEqualTo(DER);
        assertThat(((OcspHttpAnswer.Body) read("HTTP/1.1 200\nServer: x\n\n", DER)).der()).isEqualTo(DER);
        assertThat(((OcspHttpAnswer.Body) read("HTTP/1.1 200 OK\r\ncontent-type:  Application/OCSP-Response  \r\n\r\n",
                DER)).der()).isEqualTo(DER);
    }

    @Test
    void anotherStatusOrContentTypeIsRefusedInNginxsWords() {
        assertThat(problem("HTTP/1.0 404 Not Found\r\n\r\n")).isEqualTo("OCSP responder sent invalid \"404\" status");
        assertThat(problem("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n"))
                .isEqualTo("OCSP responder sent invalid \"Content-Type\" header: \"text/html\"");
    }

    @Test
    void whatIsNoHttpAnswerIsAnInvalidResponse() {
        for (String head : new String[] {"", "HTTP/1.0 200 OK", "HTTP/1.0 200 OK\r\nX: y\r\n", "ICY 200 OK\r\n\r\n",
                "HTTP/0.9 200 OK\r\n\r\n", "HTTP/1.0 20 OK\r\n\r\n", "HTTP/1.0 2000\r\n\r\n",
                "HTTP/1.0 200 OK\r\nBad Header: x\r\n\r\n", "HTTP/1.0 200 OK\r\n: x\r\n\r\n"}) {
            assertThat(problem(head)).as(head).isEqualTo("OCSP responder sent invalid response");
        }
    }
}
