package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curl --haproxy-protocol} (a v1 line describing curl's own socket) straight into proxyline's
 * ingress {@code listen … proxy_protocol}, trusting curl's 127.0.0.7: the app gets curl's address,
 * the access log its address and port.
 */
@Timeout(30)
class CurlToIngressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;
    private HttpBackend app;
    private Proxyline proxyline;
    private InetSocketAddress listen;

    @BeforeEach
    void start() {
        app = HttpBackend.start();
        listen = Loopback.freePort(Loopback.PROXYLINE);
        proxyline = Proxyline.start(directory, """
                http {
                    log_format ingress '$remote_addr:$remote_port pp=$proxy_protocol_addr:$proxy_protocol_port peer=$realip_remote_addr "$request" $status';
                    server {
                        listen %s proxy_protocol;
                        set_real_ip_from 127.0.0.7;
                        real_ip_header proxy_protocol;
                        access_log ingress.log ingress;
                        location / { proxy_pass http://%s; }
                    }
                }
                """.formatted(Loopback.hostPort(listen), Loopback.hostPort(app.address())));
    }

    @AfterEach
    void stop() {
        if (proxyline != null) {
            proxyline.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void haproxyProtocolFromCurlGivesTheAppAndTheLogCurlsSource() {
        String client = curl("/curl", List.of());

        HttpBackend.Seen seen = app.await("/curl", WAIT);
        assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
        assertThat(seen.lastForwardedFor()).contains("127.0.0.7");
        assertThat(proxyline.awaitLine("ingress.log", line -> line.contains("/curl "), WAIT))
                .isEqualTo(client + " pp=" + client + " peer=127.0.0.7 \"GET /curl HTTP/1.1\" 200");
    }

    @Test
    void haproxyClientIpSetsTheClientTheAppSees() {
        String help = Commands.run(List.of(Interop.requireBinary("curl").toString(), "--help", "all"), Duration.ofSeconds(10));
        Assumptions.assumeTrue(help.contains("--haproxy-clientip"),
                "this curl has no --haproxy-clientip (added in curl 8.2; Debian 12 ships 7.88.1): not faked");

        curl("/clientip", List.of("--haproxy-clientip", "203.0.113.7"));

        assertThat(app.await("/clientip", WAIT).header("X-Real-IP")).contains("203.0.113.7");
        assertThat(proxyline.awaitLine("ingress.log", line -> line.contains("/clientip "), WAIT))
                .startsWith("203.0.113.7:").contains(" peer=127.0.0.7 ").endsWith(" 200");
    }

    /** Runs curl with {@code options} into the ingress; returns curl's own socket address, {@code ip:port}. */
    private String curl(String path, List<String> options) {
        List<String> command = new ArrayList<>(List.of(Interop.requireBinary("curl").toString(), "-sS",
                "--max-time", "10", "--haproxy-protocol", "--interface", "127.0.0.7",
                "-w", "\n%{local_ip}:%{local_port}"));
        command.addAll(options);
        command.add("http://" + Loopback.hostPort(listen) + path);
        String output = Commands.run(command, Duration.ofSeconds(15));
        String answer = "ok " + path + "\n\n";
        assertThat(output).startsWith(answer + "127.0.0.7:");
        return output.substring(answer.length()).strip();
    }
}
