package dev.proxyline.it.harness;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code openssl s_client} asking one HTTP/1.0 request, with the {@code -servername} as its Host (so that the server closes and TLS 1.3 tickets, which come after
 * the handshake, are read), with what its report says about the handshake.
 */
public final class SClient {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** A stapling server fetches its first response after the handshake that asked: a few seconds of tries. */
    private static final int STATUS_TRIES = 12;
    private static final long STATUS_PAUSE_MILLIS = 250;

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

    /**
     * The certificate status {@code server} staples once it has one ({@code good}, {@code revoked}...), and whether
     * already on the first handshake (a fetched response is not: that handshake starts the fetch); or {@code none}.
     */
    public static String stapledStatus(InetSocketAddress server) throws InterruptedException {
        for (int i = 0; i < STATUS_TRIES; i++) {
            if (i > 0) Thread.sleep(STATUS_PAUSE_MILLIS);
            Optional<String> seen = ask(server, List.of("-status")).lines().map(String::trim)
                    .filter(l -> l.startsWith("Cert Status:"))
                    .map(l -> l.substring("Cert Status:".length()).trim()).findFirst();
            if (seen.isPresent()) return seen.get() + (i == 0 ? ", on the first handshake" : ", later");
        }
        return "none";
    }
}
