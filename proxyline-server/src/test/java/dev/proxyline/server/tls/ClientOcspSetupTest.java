package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ClientOcsp;
import dev.proxyline.config.ClientVerify;
import dev.proxyline.config.Position;
import dev.proxyline.config.Stapling;
import dev.proxyline.server.runtime.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a server's ssl_ocsp comes to at start: its responder judged, its name looked up, its cache zone shared. */
class ClientOcspSetupTest {
    private static final Position AT = new Position("test.conf", 3, 28);
    private static final HostResolver NO_NAMES = host -> {
        throw new UnknownHostException(host);
    };

    private final List<String> problems = new ArrayList<>();
    private final Map<String, OcspStatusCache> zones = new HashMap<>();

    private Optional<ClientOcspCheck> setUp(ClientVerify.Mode verify, ClientOcsp ocsp, HostResolver names) {
        ClientVerifyFiles files = new ClientVerifyFiles(verify, Optional.empty(), Optional.empty(), Optional.empty(),
                1, ocsp);
        return ClientOcspSetup.forServer(files, Clock.systemUTC(), problems, names, r -> Optional.empty(), zones);
    }

    private static ClientOcsp on(Optional<String> responder, Optional<ClientOcsp.Cache> cache) {
        return new ClientOcsp(ClientOcsp.Mode.ON, responder.map(u -> new Stapling.Responder(u, AT)), cache,
                Optional.empty());
    }

    @Test
    void nothingIsCheckedWhenOffOrWhenNoCertificateIsAskedFor() {
        assertThat(setUp(ClientVerify.Mode.ON, ClientOcsp.OFF, NO_NAMES)).isEmpty();
        assertThat(setUp(ClientVerify.Mode.OFF, on(Optional.empty(), Optional.empty()), NO_NAMES)).isEmpty();
        assertThat(setUp(ClientVerify.Mode.OPTIONAL, on(Optional.empty(), Optional.empty()), NO_NAMES)).isPresent();
        assertThat(problems).isEmpty();
    }

    @Test
    void aResponderThatCannotBeAskedStopsTheStartWithItsPlace() {
        assertThat(setUp(ClientVerify.Mode.ON, on(Optional.of("http://127.0.0.1:99999/"), Optional.empty()),
                NO_NAMES)).isEmpty();
        assertThat(setUp(ClientVerify.Mode.ON, on(Optional.of("http://ocsp.invalid/"), Optional.empty()),
                NO_NAMES)).isEmpty();
        assertThat(problems).containsExactly(
                "test.conf:3:28: invalid port in OCSP responder \"127.0.0.1:99999/\" in \"ssl_ocsp_responder\"",
                "test.conf:3:28: host not found in OCSP responder \"ocsp.invalid/\" in \"ssl_ocsp_responder\"");
    }

    @Test
    void aResponderNameIsLookedUpAtStartAndALiteralIsNot() throws Exception {
        List<String> looked = new ArrayList<>();
        HostResolver names = host -> {
            looked.add(host);
            return List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 9}));
        };
        assertThat(setUp(ClientVerify.Mode.ON, on(Optional.of("http://ocsp.test:8080/"), Optional.empty()), names))
                .isPresent();
        assertThat(setUp(ClientVerify.Mode.ON, on(Optional.of("http://127.0.0.1:8080/"), Optional.empty()), names))
                .isPresent();
        assertThat(looked).containsExactly("ocsp.test");
        assertThat(problems).isEmpty();
    }

    @Test
    void serversNamingOneZoneShareIt() {
        Optional<ClientOcsp.Cache> clients = Optional.of(new ClientOcsp.Cache("clients", 1 << 20));
        setUp(ClientVerify.Mode.ON, on(Optional.empty(), clients), NO_NAMES);
        setUp(ClientVerify.Mode.OPTIONAL, on(Optional.empty(), clients), NO_NAMES);
        setUp(ClientVerify.Mode.ON, on(Optional.empty(), Optional.of(new ClientOcsp.Cache("other", 1 << 20))),
                NO_NAMES);
        assertThat(zones).containsOnlyKeys("clients", "other");
    }
}
