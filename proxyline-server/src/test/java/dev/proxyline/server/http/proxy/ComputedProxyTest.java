package dev.proxyline.server.http.proxy;

import static dev.proxyline.server.variables.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.Endpoint;
import dev.proxyline.config.UpstreamKeepalive;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.server.runtime.UpstreamGroups;
import dev.proxyline.server.runtime.dns.LookupFailure;
import dev.proxyline.server.runtime.dns.NameLookup;
import dev.proxyline.server.stream.preread.ClientHello;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.transport.UpstreamOptions;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.upstream.UpstreamGroup;
import dev.proxyline.server.variables.Sessions;
import dev.proxyline.server.variables.Template;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import dev.proxyline.server.tls.UpstreamTlsSettings;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * How a {@code proxy_pass} with variables picks a request's upstream, without a network: the value of
 * {@code $ssl_preread_server_name} stands in for the expanded URL.
 */
class ComputedProxyTest {
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final UpstreamDirectory directory = new UpstreamDirectory();
    private final UpstreamPool appPool = new UpstreamPool(new UpstreamKeepalive(8, 1000, Duration.ofHours(1),
            Duration.ofSeconds(60)), System::nanoTime);
    private final UpstreamGroup app = group("127.0.0.1", 81);
    private final UpstreamGroup implicit = group("127.0.0.1", 82);
    private final UpstreamPool noKeepalive = new UpstreamPool(UpstreamKeepalive.NONE, System::nanoTime);
    private final List<String> asked = new ArrayList<>();
    private final Function<String, UpstreamTls> tls;

    ComputedProxyTest() throws SSLException {
        UpstreamTlsSettings settings = new UpstreamTlsSettings(SslContextBuilder.forClient().build(), Optional.empty());
        tls = host -> new UpstreamTls(settings, UpstreamTls.withoutPort(host), true, true);
        directory.block("App", new UpstreamDirectory.Entry(app, Optional.empty(), appPool));
        directory.implicit("backend.test", 8080, new UpstreamDirectory.Entry(implicit, Optional.empty(), noKeepalive));
        directory.seal();
    }

    private static UpstreamGroup group(String address, int port) {
        return UpstreamGroups.direct(new Endpoint.Inet(InetLiterals.parseOrThrow(address, "t"), port), host -> {
            throw new AssertionError("nothing is resolved");
        }, System::nanoTime, new SplittableRandom(1));
    }

    private ComputedProxy proxy(Optional<NameLookup> lookup) {
        return new ComputedProxy(Template.compile("$ssl_preread_server_name", Sessions.table()), directory, lookup,
                noKeepalive, new UpstreamBootstrap(UpstreamOptions.defaults()),
                new NextUpstreamPolicy(EnumSet.noneOf(dev.proxyline.server.upstream.FailureKind.class), false, 0,
                        Duration.ZERO), tls, System::nanoTime);
    }

    private Future<LocationPlan.Forward> forward(ComputedProxy proxy, String url) {
        return proxy.forward(client, Sessions.direct().preread(new ClientHello(0x0304, url, "")).snapshot(NOW));
    }

    private final NameLookup twoAddresses = (channel, host) -> {
        asked.add(host);
        return host.equals("app.test")
                ? channel.eventLoop().newSucceededFuture(List.of(InetLiterals.parseOrThrow("127.0.0.5", "t"),
                        InetLiterals.parseOrThrow("127.0.0.6", "t")))
                : channel.eventLoop().newFailedFuture(new LookupFailure(host,
                        host.startsWith("slow") ? LookupFailure.TIMED_OUT : LookupFailure.HOST_NOT_FOUND));
    };

    @Test
    void anUpstreamBlockIsNamedWithoutPortIgnoringCaseAndKeepsItsPool() {
        LocationPlan.Forward forward = forward(proxy(Optional.empty()), "http://app").getNow();
        assertThat(forward.upstream().group()).isSameAs(app);
        assertThat(forward.pool()).isSameAs(appPool);
        assertThat(forward.tls()).isEmpty();
        assertThat(forward.uri().apply("/a?b", "/a")).isEqualTo("/a?b");
    }

    @Test
    void anUpstreamBlockNamedWithAPortIsAHostNameAsInNginx() {
        Future<LocationPlan.Forward> forward = forward(proxy(Optional.empty()), "http://app:80/");
        assertThat(forward.cause()).isInstanceOf(RouteFailure.class)
                .hasMessage("no resolver defined to resolve app");
        assertThat(((RouteFailure) forward.cause()).status()).isEqualTo(502);
    }

    @Test
    void aLiteralProxyPassesGroupIsNamedByItsHostAndPortTheDefaultPortIncluded() {
        assertThat(forward(proxy(Optional.empty()), "http://BACKEND.test:8080/x").getNow().upstream().group())
                .isSameAs(implicit);
        assertThat(forward(proxy(Optional.empty()), "http://backend.test").isSuccess()).isFalse();
    }

    @Test
    void aUriPartIsSentVerbatimWhateverTheRequest() {
        LocationPlan.Forward forward = forward(proxy(Optional.empty()), "http://127.0.0.1:9000/v2/x?y=1").getNow();
        assertThat(forward.uri().apply("/other?z", "/other")).isEqualTo("/v2/x?y=1");
        assertThat(forward.uri().rewritten("/rewritten", "a=b", false)).isEqualTo("/v2/x?y=1");
        assertThat(forward.upstream().group().peers()).extracting(p -> p.address().toString())
                .containsExactly("/127.0.0.1:9000");
        assertThat(forward.pool()).isSameAs(noKeepalive);
    }

    @Test
    void anAddressNeedsNoResolverAndHttpsGetsTheSchemesPortAndTlsForItsHost() {
        LocationPlan.Forward forward = forward(proxy(Optional.empty()), "https://[::1]").getNow();
        assertThat(((java.net.InetSocketAddress) forward.upstream().group().peers().get(0).address()).getPort()).isEqualTo(443);
        assertThat(forward.tls()).isPresent();
        assertThat(forward.tls().get().name()).isEqualTo("[::1]");
        assertThat(asked).isEmpty();
    }

    @Test
    void aNameIsLookedUpAndItsAddressesAreTheRequestsServers() {
        LocationPlan.Forward forward = forward(proxy(Optional.of(twoAddresses)), "http://app.test:8081").getNow();
        assertThat(forward.upstream().group().peers()).extracting(p -> p.address().toString())
                .containsExactlyInAnyOrder("/127.0.0.5:8081", "/127.0.0.6:8081");
        assertThat(asked).containsExactly("app.test");
    }

    @Test
    void theRequestWaitsForTheAnswer() {
        List<Promise<List<java.net.InetAddress>>> pending = new ArrayList<>();
        NameLookup later = (channel, host) -> {
            Promise<List<java.net.InetAddress>> p = channel.eventLoop().newPromise();
            pending.add(p);
            return p;
        };
        Future<LocationPlan.Forward> forward = forward(proxy(Optional.of(later)), "http://app.test");
        assertThat(forward.isDone()).isFalse();
        pending.get(0).setSuccess(List.of(InetLiterals.parseOrThrow("127.0.0.5", "t")));
        assertThat(((java.net.InetSocketAddress) forward.getNow().upstream().group().peers().get(0).address()).getPort()).isEqualTo(80);
    }

    @Test
    void aFailedLookupIs502WithNginxsWords() {
        Future<LocationPlan.Forward> missing = forward(proxy(Optional.of(twoAddresses)), "http://gone.test/");
        assertThat(missing.cause()).hasMessage("gone.test could not be resolved (3: Host not found)");
        assertThat(((RouteFailure) missing.cause()).reason()).isEqualTo(HttpCounters.Reason.UPSTREAM_UNRESOLVED);
        assertThat(forward(proxy(Optional.of(twoAddresses)), "http://slow.test/").cause())
                .hasMessage("slow.test could not be resolved (110: Operation timed out)");
    }

    @Test
    void aValueThatIsNoUrlIs500() {
        Future<LocationPlan.Forward> forward = forward(proxy(Optional.empty()), "app:80");
        assertThat(forward.cause()).hasMessage("invalid URL prefix in \"app:80\"");
        assertThat(((RouteFailure) forward.cause()).status()).isEqualTo(500);
        assertThat(((RouteFailure) forward.cause()).reason()).isEqualTo(HttpCounters.Reason.BAD_PROXY_URL);
    }

    @Test
    void aUnixSocketGetsAOneServerGroupOfItsOwnNeverAnUpstreamBlock() {
        UpstreamDirectory local = new UpstreamDirectory();
        local.block("localhost", new UpstreamDirectory.Entry(app, Optional.empty(), appPool));
        local.seal();
        ComputedProxy proxy = new ComputedProxy(Template.compile("$ssl_preread_server_name", Sessions.table()), local,
                Optional.of(twoAddresses), noKeepalive, new UpstreamBootstrap(UpstreamOptions.defaults()),
                new NextUpstreamPolicy(EnumSet.noneOf(dev.proxyline.server.upstream.FailureKind.class), false, 0,
                        Duration.ZERO), tls, System::nanoTime);
        LocationPlan.Forward forward = forward(proxy, "http://unix:/run/app.sock:/inner?x").getNow();
        assertThat(forward.upstream().group()).isNotSameAs(app);
        assertThat(forward.upstream().group().peers()).extracting(p -> p.name()).containsExactly("unix:/run/app.sock");
        assertThat(forward.upstream().group().peers().get(0).address())
                .isEqualTo(java.net.UnixDomainSocketAddress.of("/run/app.sock"));
        assertThat(forward.pool()).isSameAs(noKeepalive);
        assertThat(forward.uri().apply("/other", "/other")).isEqualTo("/inner?x");
        assertThat(forward.tls()).isEmpty();
        assertThat(asked).isEmpty();
        assertThat(forward(proxy, "https://unix:/run/app.sock").getNow().tls().get().name()).isEqualTo("localhost");
    }

    @Test
    void aUnixSocketWithoutPathIs500() {
        Future<LocationPlan.Forward> forward = forward(proxy(Optional.empty()), "http://unix::/x");
        assertThat(forward.cause()).hasMessage("no path in the unix domain socket in upstream \"unix::/x\"");
        assertThat(((RouteFailure) forward.cause()).status()).isEqualTo(500);
    }
}
