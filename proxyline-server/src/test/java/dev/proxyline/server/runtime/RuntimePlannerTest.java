package dev.proxyline.server.runtime;

import static dev.proxyline.server.variables.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.server.accesslog.LogTarget;
import dev.proxyline.server.stream.preread.ClientHello;
import dev.proxyline.server.upstream.BalancingMethod;
import dev.proxyline.server.upstream.Selection;
import dev.proxyline.server.variables.Sessions;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RuntimePlannerTest {
    private static final Path PREFIX = Path.of("/var/lib/proxyline");
    private final HostResolver resolver = host -> {
        if (host.equals("app.internal")) {
            return List.of(InetLiterals.parseOrThrow("10.1.0.1", "t"), InetLiterals.parseOrThrow("10.1.0.2", "t"));
        }
        throw new UnknownHostException(host);
    };
    private final RuntimePlanner planner = new RuntimePlanner(Sessions.table(), resolver, System::nanoTime,
            new SplittableRandom(1), PREFIX);

    /** The plan every session of a server with a fixed proxy_pass gets. */
    private static UpstreamPlan fixed(RuntimePlan plan) {
        return (UpstreamPlan) plan.upstream();
    }

    private static ProxylineConfig load(String text) {
        LoadResult result = ConfigLoader.parse("test.conf", text, Path.of("."));
        assertThat(result.errors()).isEmpty();
        return ((LoadResult.Loaded) result).config();
    }

    private static final String CONFIG = """
            stream {
                log_format proxy '$remote_addr [$time_local] $status $upstream_addr';
                upstream k8s { hash $remote_addr consistent; server 10.0.0.31:443; server app.internal:443; }
                server {
                    listen 443 proxy_protocol;
                    listen 127.0.0.1:8443;
                    set_real_ip_from 10.0.0.0/8;
                    proxy_protocol_timeout 3s;
                    proxy_protocol on;
                    proxy_protocol_version 2;
                    proxy_protocol_tlv 0xE0 "hop=$hostname";
                    proxy_protocol_crc32c on;
                    access_log logs/stream.log proxy buffer=32k flush=5s;
                    proxy_pass k8s;
                }
                server {
                    listen 80;
                    access_log off;
                    proxy_pass k8s;
                }
                server {
                    listen 81;
                    proxy_pass app.internal:8080;
                }
            }
            """;

    @Test
    void planHasListenersWithReceiveSettingsOnlyWhereProxyProtocolIsListened() {
        RuntimePlan plan = planner.plan(load(CONFIG)).get(0);
        assertThat(plan.listeners()).hasSize(2);
        ListenerPlan proxied = plan.listeners().get(0);
        assertThat(proxied.address()).isEqualTo(new InetSocketAddress("0.0.0.0", 443));
        assertThat(proxied.receive()).isPresent();
        assertThat(proxied.receive().get().deadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(proxied.receive().get().trust().policyFor(InetLiterals.parseOrThrow("10.0.0.5", "t")))
                .isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(proxied.receive().get().trust().policyFor(InetLiterals.parseOrThrow("192.0.2.1", "t")))
                .isEqualTo(HeaderPolicy.IGNORE);
        ListenerPlan plain = plan.listeners().get(1);
        assertThat(plain.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 8443));
        assertThat(plain.receive()).isEmpty();
    }

    @Test
    void upstreamGroupIsSharedByServersNamingItAndHashKeyIsCompiled() {
        List<RuntimePlan> plans = planner.plan(load(CONFIG));
        assertThat(plans).hasSize(3);
        assertThat(fixed(plans.get(0)).group()).isSameAs(fixed(plans.get(1)).group());
        assertThat(fixed(plans.get(0)).group().method()).isEqualTo(new BalancingMethod.Hash(true));
        assertThat(fixed(plans.get(0)).group().peers()).hasSize(3);
        assertThat(fixed(plans.get(0)).hashKey()).map(Object::toString).contains("$remote_addr");
        Selection first = fixed(plans.get(0)).begin(() -> Sessions.direct().snapshot(NOW)).next();
        assertThat(first).isInstanceOf(Selection.Chosen.class);
    }

    @Test
    void directProxyPassBecomesAGroupOfTheResolvedAddresses() {
        RuntimePlan plan = planner.plan(load(CONFIG)).get(2);
        assertThat(fixed(plan).group().name()).isEqualTo("app.internal:8080");
        assertThat(fixed(plan).group().peers()).hasSize(2);
        assertThat(fixed(plan).hashKey()).isEmpty();
    }

    @Test
    void sendBuilderAndAccessLogsComeFromTheServerSettings() {
        List<RuntimePlan> plans = planner.plan(load(CONFIG));
        RuntimePlan first = plans.get(0);
        assertThat(first.send()).isPresent();
        assertThat(first.send().get().version()).isEqualTo(ProtocolVersion.V2);
        assertThat(first.send().get().headerFor(Sessions.direct().snapshot(NOW)).tlv(0xE0)).isPresent();
        assertThat(first.accessLogs()).singleElement().satisfies((LogTarget log) -> {
            assertThat(log.path()).isEqualTo(PREFIX.resolve("logs/stream.log"));
            assertThat(log.bufferSize()).isEqualTo(32 * 1024);
            assertThat(log.flush()).contains(Duration.ofSeconds(5));
            assertThat(log.format().name()).isEqualTo("proxy");
        });
        assertThat(plans.get(1).send()).isEmpty();
        assertThat(plans.get(1).accessLogs()).isEmpty();
    }

    @Test
    void anUpstreamNoServerNamesIsReadiedAtStartAsNginxDoesSoItsProblemsStopTheStart() {
        String unused = """
                stream {
                    upstream spare { server nowhere.invalid:80; }
                    server { listen 9000; proxy_pass 10.0.0.1:80; }
                }
                """;
        assertThatThrownBy(() -> planner.plan(load(unused)))
                .isInstanceOf(RuntimePlanException.class)
                .satisfies(e -> assertThat(((RuntimePlanException) e).problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains("nowhere.invalid")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String broken = """
                stream {
                    log_format bad '$remote_addr $no_such_variable';
                    upstream gone { server nowhere.invalid:80; }
                    server {
                        listen 443 proxy_protocol;
                        proxy_protocol_policy optional;
                        proxy_protocol on;
                        proxy_protocol_version 2;
                        proxy_protocol_tlv 0xE1 "$nope";
                        access_log /var/log/$remote_addr.log bad;
                        proxy_pass gone;
                    }
                }
                """;
        assertThatThrownBy(() -> planner.plan(load(broken)))
                .isInstanceOf(RuntimePlanException.class)
                .satisfies(e -> assertThat(((RuntimePlanException) e).problems()).hasSize(5))
                .hasMessageContaining("$no_such_variable")
                .hasMessageContaining("nowhere.invalid")
                .hasMessageContaining("optional")
                .hasMessageContaining("$nope")
                .hasMessageContaining("variables in the path");
    }

    @Test
    void brokenUpstreamIsReportedOnceHoweverManyServersUseIt() {
        String twice = """
                stream {
                    upstream gone { server nowhere.invalid:80; }
                    server { listen 80; proxy_pass gone; }
                    server { listen 81; proxy_pass gone; }
                }
                """;
        assertThatThrownBy(() -> planner.plan(load(twice)))
                .satisfies(e -> assertThat(((RuntimePlanException) e).problems()).hasSize(1));
    }

    @Test
    void unknownVariableInTheHashKeyNamesTheUpstream() {
        String badKey = """
                stream {
                    upstream u { hash $client_ip; server 10.0.0.1:80; }
                    server { listen 80; proxy_pass u; }
                }
                """;
        assertThatThrownBy(() -> planner.plan(load(badKey)))
                .hasMessageContaining("upstream \"u\" hash key").hasMessageContaining("$client_ip");
    }

    @Test
    void configurationWithoutStreamHasNoPlans() {
        assertThat(planner.plan(load("events { worker_connections 10; }"))).isEmpty();
    }

    @Test
    void proxyPassWithVariablesGetsEveryUpstreamOfTheBlockSharedWithTheServersNamingThem() {
        List<RuntimePlan> plans = planner.plan(load("""
                stream {
                    upstream up_a { server 10.0.0.1:443; }
                    server { listen 1; ssl_preread on; proxy_pass $ssl_preread_server_name; }
                    server { listen 2; proxy_pass up_a; }
                }
                """));
        assertThat(plans.get(0).upstream()).isInstanceOf(ComputedRoute.class);
        UpstreamPlan chosen = plans.get(0).upstream().planFor(
                () -> Sessions.direct().preread(new ClientHello(0x0304, "up_a", "")).snapshot(NOW));
        assertThat(chosen.group()).isSameAs(fixed(plans.get(1)).group());
    }

    @Test
    void anUnknownVariableInProxyPassIsReportedWhereItIsWritten() {
        assertThatThrownBy(() -> planner.plan(load("stream {\n    server { listen 1; proxy_pass $backend; }\n}\n")))
                .isInstanceOf(RuntimePlanException.class)
                .hasMessageContaining("test.conf:2:35: proxy_pass: ").hasMessageContaining("$backend");
    }
}
