package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static dev.proxyline.config.TestConfigs.stream;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** http {@code proxy_pass} with variables, and {@code resolver} / {@code resolver_timeout} in http and stream. */
class ResolverConfigTest {
    private static Endpoint inet(String address, int port) {
        return new Endpoint.Inet(new InetSocketAddress(address, port).getAddress(), port);
    }

    private static ProxyTarget.Computed computed(Location l) {
        return (ProxyTarget.Computed) ((HttpAction.ProxyPass) l.action().orElseThrow()).target();
    }

    @Test
    void anHttpProxyPassWithVariablesIsJudgedPerRequestWithTheResolverInForce() {
        HttpConfig h = http("""
                resolver 127.0.0.1:5353 [::1] valid=30s ipv6=off;
                resolver_timeout 2s;
                server {
                    location /a { set $b 10.0.0.1:81; proxy_pass http://$b; }
                    location /b { resolver 10.0.0.53; proxy_pass https://$host:8443$request_uri; }
                    location /c { proxy_pass $url; }
                    location ~ ^/d { proxy_pass http://$host/fixed; }
                    location /e { proxy_pass http://10.0.0.1; }
                }""");
        List<Location> l = h.servers().get(0).locations();
        assertThat(computed(l.get(0)).template()).isEqualTo("http://$b");
        assertThat(computed(l.get(0)).resolver()).contains(new Resolver(List.of(inet("127.0.0.1", 5353),
                inet("::1", 53)), Optional.of(Duration.ofSeconds(30)), false, Duration.ofSeconds(2),
                new Position("test.conf", 2, 1)));
        Resolver own = computed(l.get(1)).resolver().orElseThrow();
        assertThat(own.servers()).containsExactly(inet("10.0.0.53", 53));
        assertThat(own.valid()).isEmpty();
        assertThat(own.ipv6()).isTrue();
        assertThat(own.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(((HttpAction.ProxyPass) l.get(1).action().orElseThrow()).scheme()).isEqualTo("https");
        // The scheme of a URL that a variable gives is each request's; a regex location may have a URI part.
        assertThat(((HttpAction.ProxyPass) l.get(2).action().orElseThrow()).scheme()).isEmpty();
        assertThat(computed(l.get(3)).template()).isEqualTo("http://$host/fixed");
        assertThat(((HttpAction.ProxyPass) l.get(4).action().orElseThrow()).target())
                .isInstanceOf(ProxyTarget.Direct.class);
    }

    @Test
    void withoutResolverTheTargetHasNoneAndTheTimeoutDefaultsToNginxs() {
        HttpConfig h = http("server { location / { proxy_pass http://$host; } }");
        assertThat(computed(h.servers().get(0).locations().get(0)).resolver()).isEmpty();
        assertThat(http("resolver 10.0.0.1; server { location / { proxy_pass http://$host; } }").servers().get(0)
                .locations().get(0)).extracting(l -> computed(l).resolver().orElseThrow().timeout())
                .isEqualTo(Resolver.DEFAULT_TIMEOUT);
    }

    @Test
    void aProxyPassWithVariablesGetsNoDefaultProxyRedirectAndRefusesAnExplicitOne() {
        HttpConfig h = http("server { location /a/ { proxy_pass http://$host/x/; } }");
        assertThat(h.servers().get(0).locations().get(0).settings().redirects().proxyRedirects()).isEmpty();
        assertThat(errors("""
                http {
                    server {
                        location /a { proxy_pass http://$host; proxy_redirect default; }
                        location /b { proxy_redirect default; proxy_pass http://$host; }
                        location /c { proxy_pass http://$host; proxy_redirect http://a/ /; }
                    }
                }""")).containsExactly(
                "test.conf:3:48: \"proxy_redirect default\" cannot be used with \"proxy_pass\" directive with variables",
                "test.conf:4:23: \"proxy_redirect default\" should be placed after the \"proxy_pass\" directive");
    }

    @Test
    void limitExceptMayProxyToAUrlWithVariablesAndAUri() {
        HttpConfig h = http("""
                server { location / { limit_except GET { proxy_pass http://$host/only; } proxy_pass http://10.0.0.1; } }""");
        LimitExcept block = h.servers().get(0).locations().get(0).limitExcept().orElseThrow();
        assertThat(((HttpAction.ProxyPass) block.action().orElseThrow()).target())
                .isInstanceOf(ProxyTarget.Computed.class);
    }

    @Test
    void badResolverLinesAreErrorsAtTheirArgumentOnceWhereWritten() {
        assertThat(errors("""
                http {
                    resolver 10.0.0.1 ipv4=off;
                    server {
                        resolver 10.0.0.1:70000 valid=x ipv6=maybe;
                        location /a { resolver valid=5s; proxy_pass http://$host; }
                        location /b { resolver_timeout soon; proxy_pass http://$host; }
                        location /c { proxy_pass http://$host; }
                        location /d { proxy_pass http://$host; }
                    }
                }
                stream {
                    resolver [::1;
                    server { listen 9000; proxy_pass $host:443; }
                }""")).containsExactlyInAnyOrder(
                "test.conf:2:23: host not found in resolver \"ipv4=off\"",
                "test.conf:4:18: invalid port in resolver \"10.0.0.1:70000\"",
                "test.conf:4:33: invalid parameter: valid=x (expected e.g. valid=30s)",
                "test.conf:4:41: invalid parameter: ipv6=maybe (expected ipv6=on or ipv6=off)",
                "test.conf:5:32: no name servers defined",
                "test.conf:6:40: invalid time \"soon\" in \"resolver_timeout\" directive (expected e.g. 500ms, 5s, 1m30s, "
                        + "1h; units ms s m h d w M y)",
                "test.conf:12:14: invalid address in resolver \"[::1\"");
    }

    @Test
    void aStreamProxyPassWithVariablesGetsItsServersResolver() {
        StreamConfig s = stream("""
                resolver 127.0.0.1:5353 ipv6=off;
                server { listen 9000; proxy_pass $host:443; }
                server { listen 9001; resolver_timeout 1s; proxy_pass ${host}:443; }
                server { listen 9002; resolver 10.0.0.1; proxy_pass 10.0.0.2:80; }""");
        ProxyTarget.Computed first = (ProxyTarget.Computed) s.servers().get(0).proxyPass();
        assertThat(first.resolver().orElseThrow().servers()).containsExactly(inet("127.0.0.1", 5353));
        assertThat(first.resolver().orElseThrow().timeout()).isEqualTo(Resolver.DEFAULT_TIMEOUT);
        ProxyTarget.Computed second = (ProxyTarget.Computed) s.servers().get(1).proxyPass();
        assertThat(second.resolver().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.servers().get(2).proxyPass()).isInstanceOf(ProxyTarget.Direct.class);
    }

    @Test
    void aServerMayBeANameWithOrWithoutAPortKeptForTheRuntimeToResolveAtStart() {
        HttpConfig h = http("""
                resolver localhost dns.test:5353 [::1]:5300 127.0.0.2;
                server { location / { proxy_pass http://$host; } }""");
        assertThat(computed(h.servers().get(0).locations().get(0)).resolver().orElseThrow().servers()).containsExactly(
                new Endpoint.Host("localhost", 53), new Endpoint.Host("dns.test", 5353), inet("::1", 5300),
                inet("127.0.0.2", 53));
    }

    @Test
    void whatNginx122TakesForANameThatCannotBeOneIsRefusedWithItsWords() {
        // nginx 1.22 has neither ipv4= (1.23.1) nor status_zone= (plus): it looks them up as names and fails.
        assertThat(errors("""
                stream {
                    resolver 127.0.0.1 status_zone=dns;
                    resolver_timeout 1s;
                    server { listen 9000; resolver ::1 [::1]:0 [fe80::1%eth0]; proxy_pass $host:443; }
                }""")).containsExactly(
                "test.conf:2:24: host not found in resolver \"status_zone=dns\"",
                "test.conf:4:36: invalid port in resolver \"::1\"",
                "test.conf:4:40: invalid port in resolver \"[::1]:0\"",
                "test.conf:4:48: host not found in resolver \"[fe80::1%eth0]\"");
    }

    @Test
    void resolverIsNotAllowedInAnUpstreamOrIf() {
        assertThat(errors("http { upstream u { server 10.0.0.1; resolver 10.0.0.53; } }").get(0))
                .contains("\"resolver\" directive is not allowed in http upstream");
    }
}
