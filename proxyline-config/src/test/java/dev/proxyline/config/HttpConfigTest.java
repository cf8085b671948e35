package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpConfigTest {
    @Test
    void serverWithListenFlagsNamesAndLocations() {
        HttpConfig h = http("""
                upstream app { server 10.0.0.40:8080; server 10.0.0.41 weight=2; keepalive 16; }
                server {
                    listen 80 proxy_protocol default_server;
                    listen 443 ssl http2 proxy_protocol;
                    server_name example.com www.example.com;
                    server_name *.example.org;
                    ssl_certificate /etc/tls/site.crt;
                    ssl_certificate_key /etc/tls/site.key;
                    location / { proxy_pass http://app; }
                    location = /healthz { return 200 "ok\\n"; }
                    location ^~ /static/ { proxy_pass http://10.0.0.50:9000/assets/; }
                    location ~* \\.(png|jpg)$ { proxy_pass https://cdn.internal; }
                    location ~ ^/api/v[0-9]+/ { proxy_pass http://app; }
                    location @fallback { return 503; }
                }
                """);
        Upstream app = h.upstreams().get("app");
        // keepalive 16 with nginx's defaults for the rest: 1000 requests, 1 h, 60 s.
        assertThat(app.keepalive()).isEqualTo(
                new UpstreamKeepalive(16, 1000, java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(60)));
        assertThat(app.servers().get(1).endpoint().toString()).isEqualTo("10.0.0.41:80");
        HttpServer s = h.servers().get(0);
        assertThat(s.listens()).extracting(Listen::bindKey).containsExactly("*:80", "*:443");
        assertThat(s.listens().get(0)).extracting(Listen::proxyProtocol, Listen::defaultServer, Listen::ssl)
                .containsExactly(true, true, false);
        assertThat(s.listens().get(1)).extracting(Listen::ssl, Listen::http2, Listen::proxyProtocol)
                .containsExactly(true, true, true);
        assertThat(s.serverNames()).containsExactly("example.com", "www.example.com", "*.example.org");
        assertThat(s.settings().tls().certificates()).containsExactly("/etc/tls/site.crt");
        assertThat(s.settings().tls().certificatePositions()).containsExactly(new Position("test.conf", 8, 21));
        assertThat(s.settings().tls().keyPositions()).containsExactly(new Position("test.conf", 9, 25));
        assertThat(s.locations()).extracting(Location::match).containsExactly(
                new LocationMatch(LocationMatch.Modifier.PREFIX, "/"),
                new LocationMatch(LocationMatch.Modifier.EXACT, "/healthz"),
                new LocationMatch(LocationMatch.Modifier.PREFIX_NO_REGEX, "/static/"),
                new LocationMatch(LocationMatch.Modifier.REGEX_CASELESS, "\\.(png|jpg)$"),
                new LocationMatch(LocationMatch.Modifier.REGEX, "^/api/v[0-9]+/"),
                new LocationMatch(LocationMatch.Modifier.NAMED, "fallback"));
        assertThat(s.locations()).extracting(Location::action).containsExactly(
                Optional.of(new HttpAction.ProxyPass("http", new ProxyTarget.UpstreamRef("app"), Optional.empty())),
                Optional.of(new HttpAction.Return(200, Optional.of("ok\n"))),
                Optional.of(new HttpAction.ProxyPass("http", new ProxyTarget.Direct(
                        new Endpoint.Inet(InetLiteral.parse("10.0.0.50").orElseThrow(), 9000)), Optional.of("/assets/"))),
                Optional.of(new HttpAction.ProxyPass("https", new ProxyTarget.Direct(new Endpoint.Host("cdn.internal", 443)),
                        Optional.empty())),
                Optional.of(new HttpAction.ProxyPass("http", new ProxyTarget.UpstreamRef("app"), Optional.empty())),
                Optional.of(new HttpAction.Return(503, Optional.empty())));
    }

    @Test
    void joinedLocationModifiersAndNestedLocations() {
        HttpServer s = http("""
                server {
                    location =/exact { return 204; }
                    location /outer/ {
                        proxy_read_timeout 5s;
                        location /outer/inner/ { proxy_pass http://127.0.0.1:8080; }
                    }
                }""").servers().get(0);
        assertThat(s.locations().get(0).match()).isEqualTo(new LocationMatch(LocationMatch.Modifier.EXACT, "/exact"));
        Location outer = s.locations().get(1);
        assertThat(outer.action()).isEmpty();
        Location inner = outer.locations().get(0);
        assertThat(inner.settings().timeouts().proxyRead()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultsMatchNginx() {
        HttpServer s = http("server { }").servers().get(0);
        assertThat(s.listens()).extracting(Listen::bindKey).containsExactly("*:80");
        assertThat(s.serverNames()).isEmpty();
        HttpSettings st = s.settings();
        assertThat(st.realIp().header()).isEqualTo("X-Real-IP");
        assertThat(st.realIp().recursive()).isFalse();
        assertThat(st.realIp().from()).isEmpty();
        assertThat(st.timeouts()).isEqualTo(new HttpSettings.Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(75), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(60)));
        assertThat(st.keepaliveRequests()).isEqualTo(1000);
        assertThat(st.clientMaxBodySize()).isEqualTo(1 << 20);
        assertThat(st.tls().protocols()).isEqualTo(Set.of("TLSv1.2", "TLSv1.3"));
        assertThat(st.tls().ciphers()).isEqualTo("HIGH:!aNULL:!MD5");
        assertThat(st.proxyProtocol()).isEqualTo(ProxyProtocolSend.OFF);
        assertThat(st.accept().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(http("server { }").logFormats()).containsKey("combined");
    }

    @Test
    void settingsInheritFromHttpToServerToLocation() {
        HttpConfig h = http("""
                set_real_ip_from 10.0.0.0/8;
                real_ip_header proxy_protocol;
                real_ip_recursive on;
                proxy_set_header X-Real-IP $proxy_protocol_addr;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                keepalive_timeout 30s;
                keepalive_requests 100;
                client_max_body_size 10m;
                client_header_timeout 5s;
                client_body_timeout 6s;
                send_timeout 7s;
                proxy_connect_timeout 2s;
                proxy_send_timeout 8s;
                ssl_protocols TLSv1.3;
                ssl_ciphers ECDHE+AESGCM;
                log_format main escape=json '{"a":"$remote_addr"}';
                access_log /var/log/a.log main buffer=64k flush=1m;
                server {
                    listen 80;
                    proxy_set_header Host $host;
                    location / {
                        client_max_body_size 0;
                        proxy_protocol on;
                        proxy_protocol_version 2;
                        proxy_pass http://10.0.0.9:80;
                        access_log off;
                    }
                }""");
        HttpSettings server = h.servers().get(0).settings();
        assertThat(server.realIp()).isEqualTo(new HttpSettings.RealIp(List.of(Cidr.parse("10.0.0.0/8").orElseThrow()),
                false, "proxy_protocol", true));
        assertThat(server.proxySetHeaders()).containsExactly(new HttpSettings.HeaderRule("Host", "$host"));
        assertThat(h.settings().proxySetHeaders()).hasSize(2);
        assertThat(server.timeouts()).isEqualTo(new HttpSettings.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(6),
                Duration.ofSeconds(7), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofSeconds(8)));
        assertThat(server.keepaliveRequests()).isEqualTo(100);
        assertThat(server.tls().protocols()).containsExactly("TLSv1.3");
        assertThat(server.tls().ciphers()).isEqualTo("ECDHE+AESGCM");
        assertThat(server.accessLogs()).containsExactly(
                new AccessLog.ToFile("/var/log/a.log", "main", 65536, Optional.of(Duration.ofMinutes(1))));
        HttpSettings loc = h.servers().get(0).locations().get(0).settings();
        assertThat(loc.clientMaxBodySize()).isZero();
        assertThat(server.clientMaxBodySize()).isEqualTo(10 << 20);
        assertThat(loc.proxyProtocol()).isEqualTo(new ProxyProtocolSend(true, 2, List.of(), false));
        assertThat(loc.accessLogs()).containsExactly(new AccessLog.Off());
        assertThat(h.logFormats().get("main").escape()).isEqualTo(LogFormat.Escape.JSON);
    }

    @Test
    void duplicateLocationsAreErrorsAsInNginxButRegexesAndAnExactBesideAPrefixAreNot() {
        assertThat(errors("""
                http {
                    server {
                        listen 80;
                        location /a { return 200; }
                        location ^~ /a { return 201; }
                        location = /a { return 202; }
                        location = /a { return 203; }
                        location ~ ^/r { return 204; }
                        location ~ ^/r { return 205; }
                        location /n {
                            location /n/x { return 206; }
                            location /n/x { return 207; }
                        }
                    }
                }""")).containsExactly(
                "test.conf:5:9: duplicate location \"/a\" (already at line 4)",
                "test.conf:7:9: duplicate location \"/a\" (already at line 6)",
                "test.conf:12:13: duplicate location \"/n/x\" (already at line 11)");
    }

    @Test
    void upstreamKeepaliveLimitsAsIngressNginxWritesThem() {
        HttpConfig h = TestConfigs.http("""
                upstream upstream_balancer {
                    server 127.0.0.1:9;
                    keepalive 320;
                    keepalive_time 1h;
                    keepalive_timeout 60s;
                    keepalive_requests 10000;
                }
                keepalive_timeout 75s;
                keepalive_requests 1000;
                """);
        assertThat(h.upstreams().get("upstream_balancer").keepalive()).isEqualTo(
                new UpstreamKeepalive(320, 10000, java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(60)));
        assertThat(TestConfigs.errors("http { upstream u { server 127.0.0.1:9; keepalive 2; keepalive_timeout 5s 4s; "
                + "keepalive_requests 0; keepalive_time soon; } }")).containsExactly(
                "test.conf:1:75: invalid number of arguments in \"keepalive_timeout\" directive in upstream (one time: "
                        + "how long an idle upstream connection is kept)",
                "test.conf:1:98: invalid number \"0\" in \"keepalive_requests\" directive (expected 1-2147483647)",
                "test.conf:1:116: invalid time \"soon\" in \"keepalive_time\" directive (expected e.g. 500ms, 5s, 1m30s, "
                        + "1h; units ms s m h d w M y)");
    }

    @Test
    void accessLogWithoutFormatUsesCombined() {
        HttpSettings s = http("access_log /var/log/access.log;\nserver { }").settings();
        assertThat(s.accessLogs()).containsExactly(new AccessLog.ToFile("/var/log/access.log", "combined", 0, Optional.empty()));
    }

    @Test
    void listenFlagsApplyToTheWholeSocketAsInNginx() {
        HttpConfig h = http("""
                ssl_certificate /c; ssl_certificate_key /k;
                server { listen 443 ssl proxy_protocol; server_name a; }
                server { listen 443; server_name b; }
                """);
        assertThat(h.servers().get(1).listens().get(0)).extracting(Listen::ssl, Listen::proxyProtocol)
                .containsExactly(true, true);
    }

    @Test
    void aBarePortAndItsZeroAddressAreOneSocket() {
        HttpConfig h = http("""
                server { listen 80 proxy_protocol; server_name a; }
                server { listen 0.0.0.0:80; server_name b; }
                """);
        assertThat(h.servers().get(1).listens().get(0)).extracting(Listen::bindKey, Listen::proxyProtocol)
                .containsExactly("*:80", true);
    }

    @Test
    void accessLogIfKeepsItsConditionAsWritten() {
        HttpSettings s = http("access_log /var/log/a.log combined if=$loggable;\nserver { }").settings();
        assertThat(s.accessLogs()).containsExactly(new AccessLog.ToFile("/var/log/a.log", "combined", 0,
                Optional.empty(), Optional.of("$loggable")));
    }

    @Test
    void gzipSettingsAsNginxReadsThem() {
        HttpSettings.Gzip gzip = http("""
                gzip on; gzip_types Application/JSON text/css; gzip_min_length 1k; gzip_comp_level 5;
                gzip_vary on; gzip_proxied expired no-cache auth; gzip_http_version 1.0; gzip_disable msie6 "^curl";
                server { }""").settings().gzip();
        assertThat(gzip).isEqualTo(new HttpSettings.Gzip(true, Set.of("text/html", "application/json", "text/css"),
                1024, 5, true, Set.of("expired", "no-cache", "auth"), true, List.of("msie6", "^curl")));
        assertThat(http("server { }").settings().gzip()).isEqualTo(HttpSettings.Gzip.DEFAULTS);
        assertThat(errors("""
                http {
                    gzip_comp_level 10;
                    gzip_proxied off any;
                    server { gzip_proxied sometimes; }
                    gzip_http_version 2.0;
                    gzip_disable "(";
                }""")).containsExactly(
                "test.conf:2:21: invalid number \"10\" in \"gzip_comp_level\" directive (expected 1-9)",
                "test.conf:3:5: \"gzip_proxied off\" cannot be combined with other values",
                "test.conf:4:27: invalid value \"sometimes\" in \"gzip_proxied\" directive (expected off, expired, "
                        + "no-cache, no-store, private, no_last_modified, no_etag, auth or any)",
                "test.conf:5:23: invalid value \"2.0\" in \"gzip_http_version\" directive (expected 1.0 or 1.1)",
                "test.conf:6:18: invalid regular expression \"(\" in \"gzip_disable\": Unclosed group near index 1");
    }

    @Test
    void setsBelongToTheirBlockInOrder() {
        HttpConfig h = http("""
                server {
                    set $Tier bronze;
                    location /a { set $tier gold; set $area "a:$tier"; location /a/b { } }
                }""");
        HttpServer server = h.servers().get(0);
        assertThat(server.rewrites()).filteredOn(SetRule.class::isInstance).map(SetRule.class::cast).extracting(SetRule::variable, SetRule::value).containsExactly(tuple("tier", "bronze"));
        assertThat(server.locations().get(0).rewrites()).filteredOn(SetRule.class::isInstance).map(SetRule.class::cast).extracting(SetRule::variable, SetRule::value)
                .containsExactly(tuple("tier", "gold"), tuple("area", "a:$tier"));
        assertThat(server.locations().get(0).locations().get(0).rewrites()).isEmpty();
        assertThat(h.allSets()).hasSize(3);
        assertThat(errors("http {\n    server { set tier gold; }\n}")).containsExactly(
                "test.conf:2:18: invalid variable name \"tier\" in \"set\" (expected $ and letters, digits or _)");
    }

    @Test
    void addHeaderIsInheritedOnlyByALevelWithoutItsOwn() {
        HttpConfig h = http("""
                add_header A a always;
                server { location /x { add_header B "$host"; } location /y { } }""");
        HttpServer server = h.servers().get(0);
        assertThat(server.locations().get(0).settings().addHeaders())
                .containsExactly(new HttpSettings.AddHeader("B", "$host", false));
        assertThat(server.locations().get(1).settings().addHeaders())
                .containsExactly(new HttpSettings.AddHeader("A", "a", true));
        assertThat(errors("http {\n    add_header A a sometimes;\n}")).containsExactly(
                "test.conf:2:20: invalid parameter \"sometimes\" in \"add_header\" (expected always)");
    }

    @Test
    void tlsSessionSettings() {
        assertThat(http("ssl_session_cache shared:SSL:10m; ssl_session_timeout 1d;\nserver { }").settings().tls()
                .sessions()).isEqualTo(new HttpSettings.Sessions(true, 40000, java.time.Duration.ofDays(1)));
        assertThat(http("ssl_session_cache builtin:1000 shared:A:1m;\nserver { }").settings().tls().sessions())
                .isEqualTo(new HttpSettings.Sessions(true, 4000, java.time.Duration.ofMinutes(5)));
        assertThat(http("ssl_session_cache none;\nserver { }").settings().tls().sessions())
                .isEqualTo(HttpSettings.Sessions.DEFAULTS);
        assertThat(errors("http {\n    ssl_session_cache sometimes;\n}")).containsExactly(
                "test.conf:2:23: invalid value \"sometimes\" in \"ssl_session_cache\" (expected off, none, "
                        + "builtin[:SIZE] or shared:NAME:SIZE)");
    }

    @Test
    void limitConnNeedsItsZone() {
        HttpConfig h = http("""
                limit_conn_zone $binary_remote_addr zone=addr:10m;
                server { location / { limit_conn addr 10; limit_conn_status 429; } }""");
        assertThat(h.limitConnZones()).containsEntry("addr",
                new LimitConnZone(h.limitConnZones().get("addr").position(), "$binary_remote_addr", "addr", 10 << 20));
        HttpSettings location = h.servers().get(0).locations().get(0).settings();
        assertThat(location.limitConns()).extracting(HttpSettings.LimitConn::zone, HttpSettings.LimitConn::number)
                .containsExactly(tuple("addr", 10));
        assertThat(location.limitConnStatus()).isEqualTo(429);
        assertThat(errors("""
                http {
                    limit_conn_zone $binary_remote_addr addr:10m;
                    server { limit_conn nowhere 1; }
                }""")).containsExactly(
                "test.conf:2:41: invalid zone \"addr:10m\" in \"limit_conn_zone\" (expected zone=NAME:SIZE)",
                "test.conf:3:14: zero size shared memory zone \"nowhere\" (no limit_conn_zone defines it)");
    }

    @Test
    void returnForms() {
        HttpServer s = http("""
                server {
                    return 301 https://$host$request_uri;
                    location /a { return https://example.com/; }
                    location /b { return 444; }
                }""").servers().get(0);
        assertThat(s.serverReturn()).contains(new HttpAction.Return(301, Optional.of("https://$host$request_uri")));
        assertThat(s.locations().get(0).action()).contains(new HttpAction.Return(302, Optional.of("https://example.com/")));
        assertThat(s.locations().get(1).action()).contains(new HttpAction.Return(444, Optional.empty()));
    }

    @Test
    void httpErrors() {
        assertThat(errors("""
                http {
                    upstream app { server 10.0.0.1; ip_hash; }
                    log_format combined $remote_addr;
                    server {
                        listen 443 ssl;
                        listen 80 default_server;
                        ssl_protocols SSLv3 TLSv9;
                        location ~ ([a-z { proxy_pass http://app; }
                        location /x { proxy_pass app; }
                        location /y { proxy_pass http://$host; }
                        location /z { return 301; }
                        location /w { return abc; }
                        location /v { return 200; proxy_pass http://app; }
                        location ~ \\.php$ { proxy_pass http://app/index; }
                        location /u { keepalive_timeout 60s 60s; proxy_pass http://app; }
                        location /t { access_log /x nosuchformat; }
                        location /s { ssl_certificate /c; }
                    }
                    server { listen 80 default_server; listen 8080; listen 8080; }
                }""")).containsExactly(
                "test.conf:2:37: unsupported directive \"ip_hash\" in http upstream (nginx has it, proxyline does not)",
                "test.conf:3:16: duplicate \"log_format\" name \"combined\"",
                "test.conf:7:23: \"SSLv3\" is not supported (insecure and absent from the TLS stacks)",
                "test.conf:7:29: invalid value \"TLSv9\" in \"ssl_protocols\" directive (expected TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)",
                "test.conf:8:20: invalid regex \"([a-z\" in location: Unclosed character class",
                "test.conf:9:34: invalid URL prefix in \"proxy_pass\" directive: \"app\" (expected http:// or https://)",
                "test.conf:11:23: \"return 301\" needs a URL",
                "test.conf:12:30: invalid return code \"abc\" (expected 0-999, or a URL starting with http://, https:// or $scheme)",
                "test.conf:13:23: \"return\" and \"proxy_pass\" in the same location (\"return\" would always win; remove one)",
                "test.conf:14:40: \"proxy_pass\" cannot have URI part in location given by regular expression or named location",
                "test.conf:15:45: the second \"keepalive_timeout\" parameter (Keep-Alive header timeout) is not supported",
                "test.conf:16:37: unknown log format \"nosuchformat\"",
                "test.conf:17:23: \"ssl_certificate\" directive is not allowed in location (allowed in: http, http server, stream, stream server)",
                "test.conf:19:14: a duplicate default server for *:80 (first at test.conf:6:9)",
                "test.conf:19:53: duplicate listen *:8080 (already used at test.conf:19:40)");
    }
}
