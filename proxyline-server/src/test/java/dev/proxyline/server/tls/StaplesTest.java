package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.HttpSettings;
import dev.proxyline.config.Position;
import dev.proxyline.config.Resolver;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.dns.DnsLookups;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which servers get a staple source at start, and the file problems, without a network. */
class StaplesTest {
    private static final HostResolver NO_NAMES = host -> {
        throw new UnknownHostException(host);
    };
    private static final Function<Resolver, Optional<DnsLookups>> NO_RESOLVER = r -> {
        throw new AssertionError("no resolver is configured");
    };

    @TempDir
    Path dir;

    private static ServerTls server(StaplingFiles stapling) {
        return new ServerTls(List.of(new CertificateSource.Development()), List.of("TLSv1.3"), "HIGH",
                HttpSettings.Sessions.DEFAULTS, ClientVerifyFiles.OFF, ServerHandshake.DEFAULTS, Optional.of(stapling));
    }

    private static StaplingFiles responder(Optional<String> url) {
        return new StaplingFiles(Optional.empty(), url, false, Optional.empty(), Optional.empty());
    }

    @Test
    void aMissingStaplingFileNamesWhereItWasWritten() {
        PemFile missing = new PemFile(dir.resolve("none.der"), "ssl_stapling_file",
                Optional.of(new Position("t.conf", 4, 23)));
        List<String> problems = new ArrayList<>();
        Optional<Staples.Source> source = Staples.forServer(server(new StaplingFiles(Optional.of(missing),
                Optional.empty(), false, Optional.empty(), Optional.empty())), List.of(), true, Clock.systemUTC(),
                problems, NO_NAMES, NO_RESOLVER);
        assertThat(source).isEmpty();
        assertThat(problems).singleElement().asString().startsWith("t.conf:4:23: \"ssl_stapling_file\" file "
                + missing.path() + ": cannot read it (NoSuchFileException");
    }

    @Test
    void aStaplingFileIsServedAsItIsOnBoringSslOnly() throws Exception {
        Path file = Files.write(dir.resolve("staple.der"), new byte[] {48, 3, 10, 1, 0});
        StaplingFiles stapling = new StaplingFiles(Optional.of(new PemFile(file, "ssl_stapling_file",
                Optional.empty())), Optional.empty(), false, Optional.empty(), Optional.empty());
        List<String> problems = new ArrayList<>();
        assertThat(Staples.forServer(server(stapling), List.of(), true, Clock.systemUTC(), problems, NO_NAMES,
                NO_RESOLVER).orElseThrow().staple(null)).isEqualTo(new byte[] {48, 3, 10, 1, 0});
        assertThat(Staples.forServer(server(stapling), List.of(), false, Clock.systemUTC(), problems, NO_NAMES,
                NO_RESOLVER)).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void noIssuerNoResponderOrAnUnusableOneMeansNoStapleAndNoProblem() throws Exception {
        CertifiedKey ca = TestChains.authority("staples-ca");
        CertifiedKey leaf = TestChains.issue(ca, "leaf.test", false);
        CertifiedKey withIssuer = new CertifiedKey(leaf.key(), List.of(leaf.leaf(), ca.leaf()));
        List<String> problems = new ArrayList<>();
        // No issuer in the file and no ssl_trusted_certificate.
        assertThat(Staples.forServer(server(responder(Optional.of("http://127.0.0.1:9/"))), List.of(leaf), true,
                Clock.systemUTC(), problems, NO_NAMES, NO_RESOLVER)).isEmpty();
        // No AIA in the certificate, none configured.
        assertThat(Staples.forServer(server(responder(Optional.empty())), List.of(withIssuer), true,
                Clock.systemUTC(), problems, NO_NAMES, NO_RESOLVER)).isEmpty();
        assertThat(Staples.forServer(server(responder(Optional.of("https://127.0.0.1/"))), List.of(withIssuer), true,
                Clock.systemUTC(), problems, NO_NAMES, NO_RESOLVER)).isEmpty();
        // The JDK's engine cannot staple.
        assertThat(Staples.forServer(server(responder(Optional.of("http://127.0.0.1:9/"))), List.of(withIssuer), false,
                Clock.systemUTC(), problems, NO_NAMES, NO_RESOLVER)).isEmpty();
        assertThat(Staples.forServer(server(responder(Optional.of("http://127.0.0.1:9/"))), List.of(withIssuer), true,
                Clock.systemUTC(), problems, NO_NAMES, NO_RESOLVER)).containsInstanceOf(OcspStapler.class);
        assertThat(problems).isEmpty();
    }

    @Test
    void aResponderNameIsLookedUpAtStartAndWithoutAddressesStaplingIsIgnored() throws Exception {
        CertifiedKey ca = TestChains.authority("names-ca");
        CertifiedKey leaf = TestChains.issue(ca, "leaf.test", false);
        CertifiedKey withIssuer = new CertifiedKey(leaf.key(), List.of(leaf.leaf(), ca.leaf()));
        List<String> asked = new ArrayList<>();
        HostResolver names = host -> {
            asked.add(host);
            if (!host.equals("ocsp.test")) throw new UnknownHostException(host);
            return List.of(InetAddress.getLoopbackAddress());
        };
        List<String> problems = new ArrayList<>();
        assertThat(Staples.forServer(server(responder(Optional.of("http://ocsp.test:8080/"))), List.of(withIssuer),
                true, Clock.systemUTC(), problems, names, NO_RESOLVER)).containsInstanceOf(OcspStapler.class);
        assertThat(Staples.forServer(server(responder(Optional.of("http://gone.test/"))), List.of(withIssuer),
                true, Clock.systemUTC(), problems, names, NO_RESOLVER)).isEmpty();
        // An address is not looked up.
        assertThat(Staples.forServer(server(responder(Optional.of("http://127.0.0.1:8080/"))), List.of(withIssuer),
                true, Clock.systemUTC(), problems, names, NO_RESOLVER)).containsInstanceOf(OcspStapler.class);
        assertThat(asked).containsExactly("ocsp.test", "gone.test");
        assertThat(problems).isEmpty();
    }
}
