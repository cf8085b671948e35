package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code unix:PATH} upstreams as nginx reads them: in {@code server}, stream {@code proxy_pass} and http URLs. */
class UnixUpstreamConfigTest {
    private static final String LONGEST = "/" + "a".repeat(106);

    @Test
    void anHttpUrlsSocketPathEndsAtTheFirstColonAndTheRestIsItsUri() {
        HttpConfig h = http("""
                upstream local { server unix:/run/app.sock weight=2; keepalive 4; }
                server {
                    listen 80;
                    location /a/ { proxy_pass http://unix:/run/app.sock:/inner/; }
                    location /b/ { proxy_pass http://unix:/run/app.sock; }
                    location /c/ { proxy_pass http://unix:/run/app.sock:; }
                    location /d/ { proxy_pass http://local; }
                }
                """);
        assertThat(h.upstreams().get("local").servers().get(0).endpoint()).isEqualTo(new Endpoint.Unix("/run/app.sock"));
        assertThat(h.servers().get(0).locations()).extracting(Location::action).containsExactly(
                Optional.of(new HttpAction.ProxyPass("http", new ProxyTarget.Direct(new Endpoint.Unix("/run/app.sock")),
                        Optional.of("/inner/"))),
                Optional.of(new HttpAction.ProxyPass("http", new ProxyTarget.Direct(new Endpoint.Unix("/run/app.sock")),
                        Optional.empty())),
                Optional.of(new HttpAction.ProxyPass("http", new ProxyTarget.Direct(new Endpoint.Unix("/run/app.sock")),
                        Optional.empty())),
                Optional.of(new HttpAction.ProxyPass("http", new ProxyTarget.UpstreamRef("local"), Optional.empty())));
    }

    @Test
    void aPathOfUpTo107BytesFitsSunPath() {
        assertThat(AddressParser.endpoint("unix:" + LONGEST, OptionalInt.empty()).endpoint())
                .contains(new Endpoint.Unix(LONGEST));
        assertThat(AddressParser.endpoint("unix:" + LONGEST + "a", OptionalInt.empty()).error())
                .isEqualTo("too long path in the unix domain socket");
        assertThat(AddressParser.endpoint("unix:", OptionalInt.empty()).error())
                .isEqualTo("no path in the unix domain socket");
    }

    @Test
    void emptyAndTooLongPathsAreErrorsWithTheirPositionsInNginxsWords() {
        assertThat(errors("""
                http {
                    upstream u { server unix:; }
                    server {
                        listen 80;
                        location /a { proxy_pass http://unix:; }
                        location /b { proxy_pass http://unix::/x; }
                        location /c { proxy_pass http://unix:/%1$sa:/x; }
                        location ~ /d { proxy_pass http://unix:/run/app.sock:/x; }
                    }
                }
                stream {
                    upstream s { server unix:; }
                    server { listen 9000; proxy_pass unix:; }
                }""".formatted(LONGEST))).containsExactly(
                "test.conf:2:25: no path in the unix domain socket in upstream \"server\"",
                "test.conf:5:34: no path in the unix domain socket in upstream \"unix:\" in \"proxy_pass\" directive",
                "test.conf:6:34: no path in the unix domain socket in upstream \"unix:\" in \"proxy_pass\" directive",
                "test.conf:7:34: too long path in the unix domain socket in upstream \"unix:/" + LONGEST
                        + "a\" in \"proxy_pass\" directive",
                "test.conf:8:36: \"proxy_pass\" cannot have URI part in location given by regular expression or named "
                        + "location",
                "test.conf:12:25: no path in the unix domain socket in upstream \"server\"",
                "test.conf:13:38: no path in the unix domain socket in \"proxy_pass\" directive");
    }
}
