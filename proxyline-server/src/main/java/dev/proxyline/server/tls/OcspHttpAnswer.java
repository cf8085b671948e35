package dev.proxyline.server.tls;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An OCSP responder's HTTP answer, read as nginx reads it: everything until the responder closes (the request is
 * HTTP/1.0; {@code Content-Length} is not needed), a status line, header lines of which only {@code Content-Type}
 * matters (it must be {@code application/ocsp-response} when present), then the body. Plain Java.
 */
final class OcspHttpAnswer {
    /** nginx's response buffer: a longer answer does not fit, and no OCSP response comes near it. */
    static final int MAX_LENGTH = 16384;
    private static final String OCSP_RESPONSE = "application/ocsp-response";

    private OcspHttpAnswer() {
    }

    /** What the answer comes to: the DER body of a 200, or why not. */
    sealed interface Read {
    }

    record Body(byte[] der) implements Read {
        Body {
            Objects.requireNonNull(der, "der");
        }
    }

    record Problem(String reason) implements Read {
        Problem {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Read read(byte[] answer) {
        int[] at = {0};
        String status = line(answer, at);
        if (status == null) return invalid();
        int code = statusCode(status);
        if (code < 0) return invalid();
        for (String header = line(answer, at); ; header = line(answer, at)) {
            if (header == null) return invalid();
            if (header.isEmpty()) break;
            int colon = header.indexOf(':');
            if (colon <= 0 || !token(header.substring(0, colon))) return invalid();
            if (header.substring(0, colon).equalsIgnoreCase("Content-Type")) {
                String value = header.substring(colon + 1).strip();
                if (!value.toLowerCase(Locale.ROOT).equals(OCSP_RESPONSE)) {
                    return new Problem("OCSP responder sent invalid \"Content-Type\" header: \"" + value + "\"");
                }
            }
        }
        if (code != 200) return new Problem("OCSP responder sent invalid \"" + code + "\" status");
        return new Body(Arrays.copyOfRange(answer, at[0], answer.length));
    }

    /** The line from {@code at[0]} without its CRLF or LF, moving past it; {@code null} when no line ends. */
    private static String line(byte[] answer, int[] at) {
        for (int i = at[0]; i < answer.length; i++) {
            if (answer[i] != '\n') continue;
            int end = i > at[0] && answer[i - 1] == '\r' ? i - 1 : i;
            String text = new String(answer, at[0], end - at[0], StandardCharsets.ISO_8859_1);
            at[0] = i + 1;
            return text;
        }
        return null;
    }

    /** The code of {@code HTTP/MAJOR.MINOR CODE[ TEXT]}, or -1 when the line is not one. */
    private static int statusCode(String line) {
        if (!line.startsWith("HTTP/")) return -1;
        int i = 5;
        int start = i;
        while (i < line.length() && Character.isDigit(line.charAt(i))) i++;
        if (i == start || line.charAt(start) == '0' || i >= line.length() || line.charAt(i) != '.') return -1;
        start = ++i;
        while (i < line.length() && Character.isDigit(line.charAt(i))) i++;
        if (i == start || i >= line.length() || line.charAt(i) != ' ') return -1;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        if (i + 3 > line.length()) return -1;
        int code = 0;
        for (int j = i; j < i + 3; j++) {
            char c = line.charAt(j);
            if (c < '0' || c > '9') return -1;
            code = code * 10 + (c - '0');
        }
        boolean ends = i + 3 == line.length() || line.charAt(i + 3) == ' ' || line.charAt(i + 3) == '.';
        return ends ? code : -1;
    }

    private static boolean token(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' && i > 0)) {
                return false;
            }
        }
        return true;
    }

    private static Problem invalid() {
        return new Problem("OCSP responder sent invalid response");
    }
}
