package dev.proxyline.protocol.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BadRequestPageTest {
    /** What nginx 1.22.1 (Debian 12) answered to "PROXY TCP4 …" on a plain listener, captured on loopback. */
    private static final String NGINX_1_22_1 = "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\n"
            + "Date: Thu, 26 Nov 2026 03:11:57 GMT\r\nContent-Type: text/html\r\nContent-Length: 157\r\n"
            + "Connection: close\r\n\r\n<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
            + "<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";

    @Test
    void isByteForByteWhatNginxSends() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T03:11:57Z"), ZoneOffset.UTC);
        assertThat(new String(new BadRequestPage("nginx/1.22.1", clock).render(), US_ASCII)).isEqualTo(NGINX_1_22_1);
    }

    @Test
    void theLengthFollowsTheServerNameAndTheDayHasTwoDigits() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-05T07:08:09Z"), ZoneOffset.UTC);
        String page = new String(new BadRequestPage("proxyline", clock).render(), US_ASCII);
        assertThat(page).contains("Date: Thu, 05 Mar 2026 07:08:09 GMT\r\n", "Content-Length: 154\r\n",
                "<hr><center>proxyline</center>");
        assertThat(page.length() - page.indexOf("\r\n\r\n") - 4).isEqualTo(154);
    }

    @Test
    void refusesAServerNameThatWouldBreakTheHeaderOrThePage() {
        Clock clock = Clock.systemUTC();
        assertThatThrownBy(() -> new BadRequestPage("a\r\nSet-Cookie: x", clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BadRequestPage("<script>", clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BadRequestPage("", clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
