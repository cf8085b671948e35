package dev.proxyline.server.runtime;

import static dev.proxyline.server.variables.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.Endpoint;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.server.stream.SessionStatus;
import dev.proxyline.server.stream.UnroutableSessionException;
import dev.proxyline.server.stream.preread.ClientHello;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.variables.Sessions;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.runtime.dns.LookupFailure;
import dev.proxyline.server.runtime.dns.NameLookup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ComputedRouteTest {
    private static final NextUpstreamPolicy NEXT = NextUpstreamPolicy.stream(true, 0, Duration.ZERO);
    private final UpstreamPlan upA = new UpstreamPlan(UpstreamGroups.direct(
            new Endpoint.Inet(InetLiterals.parseOrThrow("127.0.0.1", "t"), 9001), host -> {
                throw new AssertionError("nothing is resolved");
            }, System::nanoTime, new SplittableRandom(1)), Optional.empty(), NEXT);
    private final ComputedRoute route = new ComputedRoute(
            Template.compile("$ssl_preread_server_name", Sessions.table()), Map.of("up_a", upA), NEXT,
            System::nanoTime, new SplittableRandom(1), Optional.empty());
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final List<String> asked = new ArrayList<>();
    /** A resolver that knows one name, with two addresses. */
    private final NameLookup lookup = (channel, host) -> {
        asked.add(host);
        return host.equals("app.test")
                ? channel.eventLoop().newSucceededFuture(List.of(InetLiterals.parseOrThrow("127.0.0.5", "t"),
                        InetLiterals.parseOrThrow("127.0.0.6", "t")))
                : channel.eventLoop().newFailedFuture(new LookupFailure(host, LookupFailure.HOST_NOT_FOUND));
    };
    private final ComputedRoute resolving = new ComputedRoute(
            Template.compile("$ssl_preread_server_name", Sessions.table()), Map.of("up_a", upA), NEXT,
            System::nanoTime, new SplittableRandom(1), Optional.of(lookup));

    private Future<UpstreamPlan> planLater(ComputedRoute r, String serverName) {
        return r.planLater(client, () -> Sessions.direct().preread(new ClientHello(0x0304, serverName, ""))
                .snapshot(NOW));
    }

    @Test
    void withAResolverANameIsLookedUpAndItsAddressesAreTheSessionsGroup() {
        Future<UpstreamPlan> plan = planLater(resolving, "app.test:8443");
        assertThat(plan.isSuccess()).isTrue();
        assertThat(plan.getNow().group().peers()).extracting(p -> p.address().toString())
                .containsExactlyInAnyOrder("/127.0.0.5:8443", "/127.0.0.6:8443");
        assertThat(asked).containsExactly("app.test");
    }

    @Test
    void withAResolverUpstreamsAndLiteralsAreNotLookedUp() {
        assertThat(planLater(resolving, "UP_A").getNow()).isSameAs(upA);
        assertThat(planLater(resolving, "127.0.0.1:9443").getNow().group().name()).isEqualTo("127.0.0.1:9443");
        assertThat(asked).isEmpty();
    }

    @Test
    void aNameTheResolverCannotFindIs500WithNginxsWords() {
        Future<UpstreamPlan> plan = planLater(resolving, "gone.test:443");
        assertThat(plan.cause()).isInstanceOf(UnroutableSessionException.class)
                .hasMessage("gone.test could not be resolved (3: Host not found)");
        assertThat(((UnroutableSessionException) plan.cause()).status()).isEqualTo(SessionStatus.INTERNAL_SERVER_ERROR);
    }

    @Test
    void withoutAResolverANameFailsAndSoDoesAValueWithoutPort() {
        assertThat(planLater(route, "app.test:443").cause()).hasMessage("no resolver defined to resolve app.test");
        assertThat(planLater(resolving, "app.test").cause()).hasMessage("no port in upstream \"app.test\"");
        assertThat(route.looksUp()).isFalse();
        assertThat(resolving.looksUp()).isTrue();
    }

    private UpstreamPlan planFor(String serverName) {
        return route.planFor(() -> Sessions.direct().preread(new ClientHello(0x0304, serverName, "")).snapshot(NOW));
    }

    @Test
    void aValueNamingAnUpstreamIsThatUpstreamWhateverItsCase() {
        assertThat(planFor("up_a")).isSameAs(upA);
        assertThat(planFor("UP_A")).isSameAs(upA);
    }

    @Test
    void anAddressLiteralGetsAOneServerGroupOfItsOwn() {
        assertThat(planFor("127.0.0.1:9443").group().name()).isEqualTo("127.0.0.1:9443");
        assertThat(planFor("[::1]:9443").group().peers()).hasSize(1);
        assertThat(planFor("unix:/run/app.sock").group().peers().get(0).name()).isEqualTo("unix:/run/app.sock");
    }

    @Test
    void valuesThatAreNoAddressFailAsNginxFailsThem() {
        assertUnroutable("", SessionStatus.INTERNAL_SERVER_ERROR, "no host in upstream \"\"");
        assertUnroutable("a.example", SessionStatus.INTERNAL_SERVER_ERROR, "no port in upstream \"a.example\"");
        assertUnroutable("a.example:443", SessionStatus.INTERNAL_SERVER_ERROR,
                "no resolver defined to resolve a.example");
        assertUnroutable("unix:", SessionStatus.INTERNAL_SERVER_ERROR,
                "no path in the unix domain socket in upstream \"unix:\"");
        assertUnroutable("127.0.0.1:99999", SessionStatus.INTERNAL_SERVER_ERROR,
                "invalid address \"127.0.0.1:99999\" (expected HOST:PORT, [IPv6]:PORT or unix:PATH) in upstream \"127.0.0.1:99999\"");
    }

    @Test
    void aSessionWithoutAHelloExpandsToNothing() {
        assertThatThrownBy(() -> route.planFor(() -> Sessions.direct().snapshot(NOW)))
                .isInstanceOf(UnroutableSessionException.class).hasMessage("no host in upstream \"\"");
    }

    private void assertUnroutable(String value, SessionStatus status, String message) {
        assertThatThrownBy(() -> planFor(value)).isInstanceOf(UnroutableSessionException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((UnroutableSessionException) e).status()).isEqualTo(status));
    }
}
