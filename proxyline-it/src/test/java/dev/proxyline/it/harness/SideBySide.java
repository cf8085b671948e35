package dev.proxyline.it.harness;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The same {@code http} block, word for word, served by nginx and by proxyline, and the same requests sent to both:
 * the differential tests compare what each answered. nginx gets only its housekeeping (logs and temp files in the
 * test's directory) on top.
 */
public final class SideBySide {
    /** What each answered, in the order of the requests, as raw bytes. */
    public record Answers(List<byte[]> nginx, List<byte[]> proxyline) {
        /**
         * Each answer as the test compares it ({@code summary}), after {@code label} of the request at its index: the
         * two lists must be equal, and {@link Summaries#nginx()} is also what a test asserts of nginx itself, so that
         * the two cannot agree by both failing.
         */
        public Summaries summarize(List<String> requests, Function<String, String> label,
                                   Function<byte[], String> summary) {
            List<String> fromNginx = new ArrayList<>();
            List<String> fromProxyline = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                String asked = label.apply(requests.get(i));
                fromNginx.add(asked + summary.apply(nginx.get(i)));
                fromProxyline.add(asked + summary.apply(proxyline.get(i)));
            }
            return new Summaries(fromNginx, fromProxyline);
        }
    }

    /** The answers as a test compares them, in the order of the requests. */
    public record Summaries(List<String> nginx, List<String> proxyline) {}

    /**
     * The status, then the Location of a redirect or the body of a 200 (error pages are each product's own, so only
     * their status is compared).
     */
    public static String statusLocationOrBody(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String status = text.lines().findFirst().orElseThrow().split(" ")[1];
        if (status.startsWith("3")) {
            return status + " " + text.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("location:"))
                    .map(l -> l.substring("location:".length()).trim()).findFirst().orElse("(none)");
        }
        return status.equals("200") ? status + " " + text.substring(text.indexOf("\r\n\r\n") + 4).strip() : status;
    }

    /** The label of a request that names it by its request line: {@code "GET /x HTTP/1.1 -> "}. */
    public static String requestLine(String request) {
        return request.lines().findFirst().orElseThrow() + " -> ";
    }

    private SideBySide() {}

    /** What each answered and how each ended the connection, in the order of the requests. */
    public record Exchanges(List<RawClient.Exchange> nginx, List<RawClient.Exchange> proxyline) {}

    /**
     * @param http     the inside of the {@code http} block for a server listening on the given address
     * @param requests each sent on a connection of its own, in one write
     */
    public static Answers ask(Path directory, Function<InetSocketAddress, String> http, List<String> requests)
            throws Exception {
        return ask(directory, http, requests, RawClient.TIMEOUT);
    }

    /** As {@link #ask(Path, Function, List)}, waiting up to {@code timeout} for each read of an answer. */
    public static Answers ask(Path directory, Function<InetSocketAddress, String> http, List<String> requests,
                              Duration timeout) throws Exception {
        Exchanges exchanges = exchange(directory, http, requests, timeout);
        return new Answers(exchanges.nginx().stream().map(RawClient.Exchange::answer).toList(),
                exchanges.proxyline().stream().map(RawClient.Exchange::answer).toList());
    }

    /** As {@link #ask(Path, Function, List)}, keeping how each connection ended (closed, reset or left open). */
    public static Exchanges exchange(Path directory, Function<InetSocketAddress, String> http, List<String> requests)
            throws Exception {
        return exchange(directory, http, requests, RawClient.TIMEOUT);
    }

    private static Exchanges exchange(Path directory, Function<InetSocketAddress, String> http, List<String> requests,
                                      Duration timeout) throws Exception {
        InetSocketAddress nginxAddress = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress proxylineAddress = Loopback.freePort(Loopback.PROXYLINE);
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        List<RawClient.Exchange> fromNginx = new ArrayList<>();
        List<RawClient.Exchange> fromProxyline = new ArrayList<>();
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n"
                + "    log_format pp '$remote_addr \"$request\" $status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory) + http.apply(nginxAddress) + "}\n", List.of(nginxAddress));
             Proxyline proxyline = Proxyline.start(directory, "http {\n" + http.apply(proxylineAddress) + "}\n")) {
            for (String request : requests) {
                byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
                fromNginx.add(RawClient.exchange(nginxAddress, bytes, timeout));
                fromProxyline.add(RawClient.exchange(proxylineAddress, bytes, timeout));
            }
        }
        return new Exchanges(fromNginx, fromProxyline);
    }
}
