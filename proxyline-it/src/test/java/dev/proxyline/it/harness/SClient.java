package dev.proxyline.it.harness;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code openssl s_client} asking one HTTP/1.0 request, with the {@code -servername} as its Host (so that the server closes and TLS 1.3 tickets, which come after
 * the handshake, are read), with what its report says about the handshake.
 */
public final class SClient {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private SClient() {
    }

    /** s_client's whole output for one request to {@code server} with {@code options}. */
    public static String ask(InetSocketAddress server, List<String> options) {
        Path openssl = Interop.requireBinary("openssl");
        List<String> command = new ArrayList<>(List.of(openssl.toString(), "s_client", "-connect",
                Loopback.hostPort(server), "-ign_eof"));
        command.addAll(options);
        String line = command.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
        int name = options.indexOf("-servername");
        String host = name >= 0 ? "Host: " + options.get(name + 1) + "\\r\\n" : "";
        return Commands.run(List.of("sh", "-c", "printf 'GET / HTTP/1.0\\r\\n" + host + "\\r\\n' | " + line), WAIT);
    }

    /** The first line of the session report: {@code New, TLSv1.3, Cipher is ...} or {@code Reused, ...}. */
    public static String session(String output) {
        return output.lines().filter(l -> l.startsWith("New,") || l.startsWith("Reused,")).findFirst().orElse(output);
    }

    /** How many session tickets the server sent. */
    public static long tickets(String output) {
        return output.lines().filter(l -> l.contains("TLS session ticket:")).count();
    }

    /** {@code Server Temp Key: X25519, 253 bits} without its label, or empty. */
    public static String temporaryKey(String output) {
        return output.lines().filter(l -> l.startsWith("Server Temp Key:")).map(l -> l.substring(16).trim())
                .findFirst().orElse("");
    }

    /** The alert s_client reports ({@code tlsv1 unrecognized name}...), or empty. */
    public static String alert(String output) {
        return output.lines().filter(l -> l.contains("SSL alert number")).map(l -> l.replaceAll(
                ".*:(tlsv1 [a-z ]+|sslv3 alert [a-z ]+):.*SSL alert number (\\d+).*", "$1 ($2)")).findFirst().orElse("");
    }
}
