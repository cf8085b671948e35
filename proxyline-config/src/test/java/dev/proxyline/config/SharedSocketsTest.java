package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which listens nginx binds: a wildcard holds its port for the specific addresses of its family. */
class SharedSocketsTest {
    @Test
    void specificAddressesOfTheWildcardsFamilyAndPortAreServedThroughIt() {
        Listen specific = listen("10.0.0.1", 80);
        Listen wildcard = listen(null, 80);
        Listen otherPort = listen("10.0.0.1", 81);
        Listen specific6 = listen("::1", 80);
        Listen wildcard6 = listen("::", 80);
        List<SharedSockets.Socket<Listen>> sockets = SharedSockets.group(
                List.of(specific, wildcard, otherPort, specific6, wildcard6), Function.identity());
        assertThat(sockets).containsExactly(
                new SharedSockets.Socket<>(wildcard, List.of(specific)),
                new SharedSockets.Socket<>(otherPort, List.of()),
                new SharedSockets.Socket<>(wildcard6, List.of(specific6)));
    }

    @Test
    void withoutAWildcardEveryAddressHasItsOwnSocket() {
        Listen a = listen("10.0.0.1", 80);
        Listen b = listen("10.0.0.2", 80);
        Listen v6 = listen("::1", 80);
        assertThat(SharedSockets.group(List.of(a, b, v6), Function.identity())).containsExactly(
                new SharedSockets.Socket<>(a, List.of()), new SharedSockets.Socket<>(b, List.of()),
                new SharedSockets.Socket<>(v6, List.of()));
    }

    @Test
    void anIpv6WildcardDoesNotTakeIpv4AddressesNorTheOtherWayRound() {
        Listen wildcard6 = listen("::", 80);
        Listen specific4 = listen("10.0.0.1", 80);
        assertThat(SharedSockets.group(List.of(wildcard6, specific4), Function.identity())).containsExactly(
                new SharedSockets.Socket<>(wildcard6, List.of()), new SharedSockets.Socket<>(specific4, List.of()));
    }

    @Test
    void zeroAddressIsTheWildcardAndTheSameSocketAsABarePort() {
        assertThat(listen("0.0.0.0", 80).isWildcard()).isTrue();
        assertThat(listen("0.0.0.0", 80).bindKey()).isEqualTo(listen(null, 80).bindKey()).isEqualTo("*:80");
        assertThat(listen("::", 80).bindKey()).isEqualTo("[0:0:0:0:0:0:0:0]:80");
        assertThat(listen("127.0.0.1", 80).isWildcard()).isFalse();
    }

    private static Listen listen(String address, int port) {
        Optional<InetAddress> a = Optional.ofNullable(address).map(SharedSocketsTest::literal);
        return new Listen(new Position("t.conf", 1, 1), new ListenAddress.Ip(a, port), false, Listen.DEFAULT_BACKLOG, false,
                Optional.empty(), true, false, false, false);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
