package dev.proxyline.protocol.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code 400 Bad Request} response that nginx 1.22 sends when a request line cannot be parsed,
 * byte for byte (status line, header order, CRLF line ends in the HTML too), with this server's
 * name where nginx puts {@code nginx/1.22.1}: clients and monitoring that know nginx's answer to a
 * PROXY header on a plain listener see the same answer here.
 */
public final class BadRequestPage {
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final String head;
    private final String tail;

    /**
     * @param server the {@code Server} header value, also shown in the page (such as {@code proxyline});
     *               printable ASCII without {@code <} or {@code &}
     * @param clock  for the {@code Date} header
     */
    public BadRequestPage(String server, Clock clock) {
        Objects.requireNonNull(server, "server");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (server.isEmpty() || !server.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '<' && c != '&')) {
            throw new IllegalArgumentException("server name must be printable ASCII without spaces, '<' or '&': \""
                    + server + "\"");
        }
        String body = "<html>\r\n"
                + "<head><title>400 Bad Request</title></head>\r\n"
                + "<body>\r\n"
                + "<center><h1>400 Bad Request</h1></center>\r\n"
                + "<hr><center>" + server + "</center>\r\n"
                + "</body>\r\n"
                + "</html>\r\n";
        this.head = "HTTP/1.1 400 Bad Request\r\nServer: " + server + "\r\nDate: ";
        this.tail = "\r\nContent-Type: text/html\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body;
    }

    /** The whole response, dated now. */
    public byte[] render() {
        return (head + HTTP_DATE.format(clock.instant()) + tail).getBytes(US_ASCII);
    }
}
