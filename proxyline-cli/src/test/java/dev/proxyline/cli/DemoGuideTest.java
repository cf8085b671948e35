package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.config.ProxylineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curl commands {@code proxyline demo} prints, from the configuration alone (nothing is started). */
class DemoGuideTest {
    @TempDir
    Path dir;

    private ProxylineConfig load(String text) throws Exception {
        Path file = dir.resolve("chain.conf");
        Files.writeString(file, text);
        return ((LoadResult.Loaded) ConfigLoader.load(file)).config();
    }

    @Test
    void eachBalancerPortThatSendsTheProxyHeaderToAnIngressListenGetsACurlWithItsCertificate() throws Exception {
        ProxylineConfig config = load("""
                stream {
                    server { listen 127.0.0.1:9000; proxy_pass 127.0.0.1:9100; }
                    server { listen 127.0.0.1:9001; proxy_bind 127.0.0.2; proxy_protocol on; proxy_pass 127.0.0.1:9101; }
                    server { listen 127.0.0.1:9002; proxy_protocol on; proxy_pass 127.0.0.1:9102; }
                }
                http {
                    server {
                        listen 127.0.0.1:9101 proxy_protocol;
                        listen 9102 ssl proxy_protocol;
                        set_real_ip_from 127.0.0.2;
                        real_ip_header proxy_protocol;
                        return 200 "$remote_addr";
                    }
                }
                """);

        DemoGuide guide = DemoGuide.of(config, dir);

        assertThat(guide.hops()).hasSize(2);
        assertThat(guide.render(dir))
                .contains("  curl --interface 127.0.0.7 http://127.0.0.1:9001/\n")
                .contains("  curl --interface 127.0.0.7 --cacert .proxyline/dev-cert/localhost.crt https://127.0.0.1:9002/\n")
                .contains("not the balancer's 127.0.0.2")
                .doesNotContain(":9000/");
        assertThat(guide.render(dir.resolve("elsewhere"))).contains("--cacert " + dir.resolve(".proxyline/dev-cert/localhost.crt"));
    }

    @Test
    void aConfigurationWithoutAChainSaysSo() throws Exception {
        ProxylineConfig config = load("""
                stream {
                    server { listen 127.0.0.1:9000; proxy_pass 127.0.0.1:9100; }
                }
                """);

        assertThat(DemoGuide.of(config, dir).render(dir)).startsWith("No stream server of this configuration sends");
    }
}
