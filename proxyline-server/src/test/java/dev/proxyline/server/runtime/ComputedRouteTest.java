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
import java.time.Duration;
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
            System::nanoTime, new SplittableRandom(1));

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
    }

    @Test
    void valuesThatAreNoAddressFailAsNginxFailsThem() {
        assertUnroutable("", SessionStatus.INTERNAL_SERVER_ERROR, "no host in upstream \"\"");
        assertUnroutable("a.example", SessionStatus.INTERNAL_SERVER_ERROR, "no port in upstream \"a.example\"");
        assertUnroutable("a.example:443", SessionStatus.BAD_GATEWAY, "no resolver defined to resolve a.example");
        assertUnroutable("unix:/run/app.sock", SessionStatus.BAD_GATEWAY,
                "server \"unix:/run/app.sock\": UNIX-domain upstream servers are not supported yet");
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
