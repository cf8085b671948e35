package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.ok;
import static dev.proxyline.config.TestConfigs.stream;
import static dev.proxyline.config.TestConfigs.streamServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamConfigTest {
    @Test
    void upstreamServersKeepNginxDefaultsAndParameters() {
        StreamConfig s = stream("""
                upstream pool {
                    server 10.0.0.1:80;
                    server 10.0.0.2:80 weight=5 max_fails=3 fail_timeout=30s;
                    server [2001:db8::1]:8080 backup;
                    server app.internal:9000 down;
                    server unix:/run/app.sock;
                }
                server { listen 80; proxy_pass pool; }
                """);
        Upstream u = s.upstreams().get("pool");
        assertThat(u.balancing()).isEqualTo(new Balancing.RoundRobin());
        assertThat(u.servers()).hasSize(5);
        UpstreamServer first = u.servers().get(0);
        assertThat(first.weight()).isEqualTo(1);
        assertThat(first.maxFails()).isEqualTo(1);
        assertThat(first.failTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(u.servers().get(1)).extracting(UpstreamServer::weight, UpstreamServer::maxFails, UpstreamServer::failTimeout)
                .containsExactly(5, 3, Duration.ofSeconds(30));
        assertThat(u.servers().get(2).backup()).isTrue();
        assertThat(u.servers().get(2).endpoint().toString()).isEqualTo("[2001:db8:0:0:0:0:0:1]:8080");
        assertThat(u.servers().get(3).endpoint()).isEqualTo(new Endpoint.Host("app.internal", 9000));
        assertThat(u.servers().get(3).down()).isTrue();
        assertThat(u.servers().get(4).endpoint()).isEqualTo(new Endpoint.Unix("/run/app.sock"));
        assertThat(u.keepalive()).isEqualTo(UpstreamKeepalive.NONE);
    }

    @Test
    void balancingMethods() {
        assertThat(balancing("least_conn;")).isEqualTo(new Balancing.LeastConn());
        assertThat(balancing("hash $remote_addr;")).isEqualTo(new Balancing.Hash("$remote_addr", false));
        assertThat(balancing("hash $remote_addr consistent;")).isEqualTo(new Balancing.Hash("$remote_addr", true));
        assertThat(balancing("random;")).isEqualTo(new Balancing.Random(false));
        assertThat(balancing("random two;")).isEqualTo(new Balancing.Random(true));
    }

    private static Balancing balancing(String directive) {
        return stream("upstream u { " + directive + " server 10.0.0.1:1; }\nserver { listen 1; proxy_pass u; }")
                .upstreams().get("u").balancing();
    }

    @Test
    void listenForms() {
        StreamServer s = streamServer("", """
                listen 10.0.0.5:443 proxy_protocol backlog=1024 reuseport so_keepalive=on;
                listen [::1]:9001;
                listen *:9002;
                listen [::]:9003 so_keepalive=off;
                """);
        List<Listen> l = s.listens();
        assertThat(l).extracting(Listen::bindKey)
                .containsExactly("*:9000", "10.0.0.5:443", "[0:0:0:0:0:0:0:1]:9001", "*:9002", "[0:0:0:0:0:0:0:0]:9003");
        assertThat(l.get(0)).extracting(Listen::proxyProtocol, Listen::backlog, Listen::reusePort, Listen::soKeepalive)
                .containsExactly(false, 511, false, Optional.empty());
        assertThat(l.get(1)).extracting(Listen::proxyProtocol, Listen::backlog, Listen::reusePort, Listen::soKeepalive)
                .containsExactly(true, 1024, true, Optional.of(true));
        assertThat(l.get(4).soKeepalive()).contains(false);
        assertThat(((ListenAddress.Ip) l.get(1).address()).host()).isPresent();
        assertThat(l.get(0).position().line()).isEqualTo(5);
        // nginx's "*" and a bare port are every IPv4 address, not an IPv6 wildcard.
        assertThat(l.get(0).socketAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 9000));
        assertThat(l.get(3).socketAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 9002));
        assertThat(l.get(4).socketAddress()).isEqualTo(new InetSocketAddress("::", 9003));
        assertThat(l).extracting(Listen::isIpv6).containsExactly(false, false, true, false, true);
    }

    @Test
    void ipv6onlyIsOnUnlessTurnedOffAsInNginx() {
        StreamServer s = streamServer("", """
                listen [::]:9001;
                listen [::]:9002 ipv6only=off;
                listen [::1]:9003 ipv6only=on;
                """);
        assertThat(s.listens()).extracting(Listen::ipv6Only).containsExactly(true, true, false, true);
    }

    @Test
    void defaultsAreNginxsExceptTheProxyProtocolTimeout() {
        StreamSettings s = streamServer("", "").settings();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.nextUpstream()).isTrue();
        assertThat(s.nextUpstreamTries()).isZero();
        assertThat(s.nextUpstreamTimeout()).isZero();
        assertThat(s.bind()).isEmpty();
        assertThat(s.bufferSize()).isEqualTo(16384);
        assertThat(s.send()).isEqualTo(ProxyProtocolSend.OFF);
        assertThat(s.accept().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.accept().trustedFrom()).isEmpty();
        assertThat(s.accept().policy()).isEmpty();
        assertThat(s.accessLogs()).isEmpty();
        assertThat(s.splice()).isTrue();
        assertThat(s.halfClose()).isFalse();
    }

    @Test
    void proxySpliceOffAtStreamLevelIsInheritedAndServerLevelOverridesIt() {
        assertThat(streamServer("proxy_splice off;", "").settings().splice()).isFalse();
        assertThat(streamServer("proxy_splice off;", "proxy_splice on;").settings().splice()).isTrue();
    }

    @Test
    void proxyHalfCloseAtStreamLevelIsInheritedAndServerLevelOverridesIt() {
        assertThat(streamServer("proxy_half_close on;", "").settings().halfClose()).isTrue();
        assertThat(streamServer("proxy_half_close on;", "proxy_half_close off;").settings().halfClose()).isFalse();
        assertThat(streamServer("", "proxy_half_close on;").settings().halfClose()).isTrue();
    }

    @Test
    void proxyHalfCloseTakesOnlyOnOrOffAndOnlyInStream() {
        assertThat(errors("stream {\n    proxy_half_close yes;\n}")).containsExactly(
                "test.conf:2:22: invalid value \"yes\" in \"proxy_half_close\" directive, it must be \"on\" or \"off\"");
        assertThat(errors("stream {\n    proxy_half_close on off;\n}")).containsExactly(
                "test.conf:2:5: invalid number of arguments in \"proxy_half_close\" directive (expected 1, got 2)");
        assertThat(errors("http {\n    proxy_half_close on;\n}")).containsExactly(
                "test.conf:2:5: \"proxy_half_close\" directive is not allowed in http (allowed in: stream, stream server)");
    }

    @Test
    void proxySpliceTakesOnlyOnOrOff() {
        assertThat(errors("stream {\n    proxy_splice auto;\n}")).containsExactly(
                "test.conf:2:18: invalid value \"auto\" in \"proxy_splice\" directive, it must be \"on\" or \"off\"");
    }

    @Test
    void everyServerDirective() throws Exception {
        StreamSettings s = streamServer("log_format basic '$remote_addr [$time_local] ' \"$status\";", """
                proxy_connect_timeout 1s;
                proxy_timeout 1h;
                proxy_next_upstream off;
                proxy_next_upstream_tries 3;
                proxy_next_upstream_timeout 10s;
                proxy_bind 10.0.0.9;
                proxy_buffer_size 64k;
                proxy_splice off;
                proxy_half_close on;
                proxy_protocol on;
                proxy_protocol_version 2;
                proxy_protocol_tlv alpn h2;
                proxy_protocol_tlv authority $ssl_preread_server_name;
                proxy_protocol_tlv unique_id $request_id;
                proxy_protocol_tlv netns blue;
                proxy_protocol_tlv 0xE1 "tenant-7";
                proxy_protocol_tlv 239 x;
                proxy_protocol_crc32c on;
                proxy_protocol_timeout 2s;
                set_real_ip_from 10.0.0.0/8;
                set_real_ip_from 2001:db8::/32;
                set_real_ip_from unix:;
                proxy_protocol_policy require from 10.0.0.0/8 192.168.0.0/16;
                proxy_protocol_policy reject;
                access_log /var/log/proxyline/tcp.log basic buffer=32k flush=5s;
                """).settings();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(s.nextUpstream()).isFalse();
        assertThat(s.nextUpstreamTries()).isEqualTo(3);
        assertThat(s.nextUpstreamTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.bind()).contains(InetAddress.getByAddress(new byte[] {10, 0, 0, 9}));
        assertThat(s.bufferSize()).isEqualTo(65536);
        assertThat(s.splice()).isFalse();
        assertThat(s.halfClose()).isTrue();
        assertThat(s.send().enabled()).isTrue();
        assertThat(s.send().version()).isEqualTo(2);
        assertThat(s.send().crc32c()).isTrue();
        assertThat(s.send().tlvs()).containsExactly(new Tlv(0x01, "h2"), new Tlv(0x02, "$ssl_preread_server_name"),
                new Tlv(0x05, "$request_id"), new Tlv(0x30, "blue"), new Tlv(0xE1, "tenant-7"), new Tlv(0xEF, "x"));
        assertThat(s.accept().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.accept().trustedFrom()).extracting(Cidr::toString)
                .containsExactly("10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32");
        assertThat(s.accept().trustUnix()).isTrue();
        assertThat(s.accept().policy()).hasSize(2);
        assertThat(s.accept().policy().get(0).mode()).isEqualTo(PolicyRule.Mode.REQUIRE);
        assertThat(s.accept().policy().get(0).from()).extracting(Cidr::toString)
                .containsExactly("10.0.0.0/8", "192.168.0.0/16");
        assertThat(s.accept().policy().get(1)).isEqualTo(new PolicyRule(PolicyRule.Mode.REJECT, List.of()));
        assertThat(s.accessLogs()).containsExactly(
                new AccessLog.ToFile("/var/log/proxyline/tcp.log", "basic", 32768, Optional.of(Duration.ofSeconds(5))));
    }

    @Test
    void logFormatJoinsStringsAndKeepsEscapeMode() {
        StreamConfig s = stream("""
                log_format json escape=json '{"addr":"$remote_addr",'
                                            '"status":$status}';
                log_format plain $remote_addr;
                upstream u { server 10.0.0.1:1; }
                server { listen 1; proxy_pass u; access_log off; }
                """);
        assertThat(s.logFormats().get("json"))
                .isEqualTo(new LogFormat("json", LogFormat.Escape.JSON, "{\"addr\":\"$remote_addr\",\"status\":$status}"));
        assertThat(s.logFormats().get("plain").escape()).isEqualTo(LogFormat.Escape.DEFAULT);
        assertThat(s.logFormats()).doesNotContainKey("combined");
        assertThat(s.servers().get(0).settings().accessLogs()).containsExactly(new AccessLog.Off());
    }

    @Test
    void streamLevelSettingsAreInheritedUnlessOverridden() {
        StreamConfig s = stream("""
                proxy_connect_timeout 2s;
                proxy_protocol on;
                set_real_ip_from 10.0.0.0/8;
                upstream u { server 10.0.0.1:1; }
                server { listen 1; proxy_pass u; }
                server { listen 2; proxy_pass u; proxy_connect_timeout 3s; proxy_protocol off;
                         set_real_ip_from 192.168.0.0/16; }
                """);
        StreamSettings a = s.servers().get(0).settings();
        StreamSettings b = s.servers().get(1).settings();
        assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.send().enabled()).isTrue();
        assertThat(a.accept().trustedFrom()).extracting(Cidr::toString).containsExactly("10.0.0.0/8");
        assertThat(b.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.send().enabled()).isFalse();
        // Array directives are replaced as a whole, like nginx's merge.
        assertThat(b.accept().trustedFrom()).extracting(Cidr::toString).containsExactly("192.168.0.0/16");
    }

    @Test
    void proxyPassToAnUpstreamAnAddressOrAHostName() {
        StreamConfig s = stream("""
                upstream u { server 10.0.0.1:1; }
                server { listen 1; proxy_pass u; }
                server { listen 2; proxy_pass 10.0.0.2:443; }
                server { listen 3; proxy_pass [::1]:443; }
                server { listen 4; proxy_pass db.internal:5432; }
                server { listen 5; proxy_pass unix:/run/x.sock; }
                """);
        assertThat(s.servers()).extracting(StreamServer::proxyPass).containsExactly(
                new ProxyTarget.UpstreamRef("u"),
                new ProxyTarget.Direct(new Endpoint.Inet(InetLiteral.parse("10.0.0.2").orElseThrow(), 443)),
                new ProxyTarget.Direct(new Endpoint.Inet(InetLiteral.parse("::1").orElseThrow(), 443)),
                new ProxyTarget.Direct(new Endpoint.Host("db.internal", 5432)),
                new ProxyTarget.Direct(new Endpoint.Unix("/run/x.sock")));
    }

    @Test
    void upstreamMayBeDefinedAfterTheServerThatUsesIt() {
        StreamConfig s = stream("server { listen 1; proxy_pass late; }\nupstream late { server 10.0.0.1:1; }");
        assertThat(s.servers().get(0).proxyPass()).isEqualTo(new ProxyTarget.UpstreamRef("late"));
    }

    @Test
    void topLevelDirectives() {
        ProxylineConfig c = ok("""
                worker_processes auto;
                error_log /var/log/proxyline/error.log warn;
                pid /run/proxyline.pid;
                worker_rlimit_nofile 65535;
                worker_shutdown_timeout 240s;
                events { worker_connections 4096; }
                """);
        assertThat(c.workers()).isEqualTo(new WorkerProcesses.Auto());
        assertThat(c.openFileLimit()).hasValue(65535);
        assertThat(c.events()).isEqualTo(new Events(4096, Optional.empty(), false));
        assertThat(c.shutdownTimeout()).contains(Duration.ofMinutes(4));
        assertThat(c.workers().eventLoopThreads(8)).isEqualTo(8);
        assertThat(c.events().workerConnections()).isEqualTo(4096);
        assertThat(c.errorLog()).contains(new ErrorLog("/var/log/proxyline/error.log", ErrorLog.Level.WARN));
        assertThat(c.pidFile()).contains("/run/proxyline.pid");
        assertThat(c.stream()).isEmpty();
        assertThat(c.http()).isEmpty();
        ProxylineConfig d = ok("worker_processes 4;");
        assertThat(d.workers().eventLoopThreads(64)).isEqualTo(4);
        assertThat(d.events().workerConnections()).isEqualTo(512);
        assertThat(d.openFileLimit()).isEmpty();
        assertThat(d.shutdownTimeout()).isEmpty();
        assertThat(ok("").workers()).isEqualTo(new WorkerProcesses.Count(1));
    }

    @Test
    void eventsAsNginxTuningGuidesWriteThem() {
        assertThat(ok("events { use epoll; multi_accept on; worker_connections 16384; }").events())
                .isEqualTo(new Events(16384, Optional.of(true), true));
        assertThat(ok("events { multi_accept off; }").events()).isEqualTo(new Events(512, Optional.of(false), false));
        assertThat(ok("").events()).isEqualTo(Events.DEFAULTS);
        assertThat(errors("events { use kqueue; multi_accept maybe; }")).containsExactly(
                "test.conf:1:14: unsupported event method \"kqueue\" in \"use\" (proxyline runs on epoll, or on the "
                        + "JDK's selector where epoll is not available; write \"use epoll\" or leave it out)",
                "test.conf:1:35: invalid value \"maybe\" in \"multi_accept\" directive, it must be \"on\" or \"off\"");
    }

    @Test
    void processLimitsAreChecked() {
        assertThat(errors("""
                worker_rlimit_nofile 0;
                worker_shutdown_timeout soon;
                events { worker_rlimit_nofile 1024; }
                """)).containsExactly(
                "test.conf:1:22: invalid number \"0\" in \"worker_rlimit_nofile\" directive (expected 1-2147483647)",
                "test.conf:2:25: invalid time \"soon\" in \"worker_shutdown_timeout\" directive (expected e.g. 500ms, 5s, "
                        + "1m30s, 1h; units ms s m h d w M y)",
                "test.conf:3:10: \"worker_rlimit_nofile\" directive is not allowed in events (allowed in: main context)");
    }

    // ---- validation errors ----

    @Test
    void proxyPassToAMissingUpstreamIsAnError() {
        assertThat(errors("stream {\n server { listen 1; proxy_pass nowhere; }\n}")).containsExactly(
                "test.conf:2:32: no upstream named \"nowhere\" and \"nowhere\" has no port, in \"proxy_pass\" directive");
    }

    @Test
    void zeroAddressAndBarePortAreTheSameListen() {
        assertThat(errors("""
                stream {
                    server { listen 80; proxy_pass 10.0.0.1:1; }
                    server { listen 0.0.0.0:80; proxy_pass 10.0.0.1:1; }
                }""")).containsExactly("test.conf:3:14: duplicate listen *:80 (already used at test.conf:2:14)");
    }

    @Test
    void duplicateListenAcrossServers() {
        assertThat(errors("""
                stream {
                    upstream u { server 10.0.0.1:1; }
                    server { listen 80; proxy_pass u; }
                    server { listen *:80; proxy_pass u; }
                }""")).containsExactly("test.conf:4:14: duplicate listen *:80 (already used at test.conf:3:14)");
    }

    @Test
    void weightMustBeAtLeastOne() {
        assertThat(errors("stream {\nupstream u { server 10.0.0.1:1 weight=0; }\nserver { listen 1; proxy_pass u; }\n}"))
                .containsExactly("test.conf:2:32: invalid number \"0\" in \"server\" directive (expected 1-1000000)");
    }

    @Test
    void proxyProtocolVersionMustBeOneOrTwo() {
        assertThat(errors("stream { proxy_protocol_version 3; }"))
                .containsExactly("test.conf:1:33: invalid value \"3\" in \"proxy_protocol_version\" directive, it must be 1 or 2");
    }

    @Test
    void crc32cAndTlvsNeedVersionTwo() {
        assertThat(errors("""
                stream {
                    proxy_protocol on;
                    proxy_protocol_crc32c on;
                    proxy_protocol_tlv alpn h2;
                }""")).containsExactly(
                "test.conf:3:5: \"proxy_protocol_crc32c on\" needs \"proxy_protocol_version 2\" (version 1 has no checksum)",
                "test.conf:4:5: \"proxy_protocol_tlv\" needs \"proxy_protocol_version 2\" (version 1 headers carry no TLVs)");
    }

    @Test
    void tlvTypesAreChecked() {
        assertThat(errors("""
                stream {
                    proxy_protocol_version 2;
                    proxy_protocol_tlv 0x03 x;
                    proxy_protocol_tlv 0x20 x;
                    proxy_protocol_tlv 0xF0 x;
                    proxy_protocol_tlv alpn2 x;
                    proxy_protocol_tlv crc32c x;
                    proxy_protocol_tlv 0xE0 a;
                    proxy_protocol_tlv 224 b;
                    proxy_protocol_tlv unique_id %s;
                }""".formatted("x".repeat(129)))).containsExactly(
                "test.conf:3:24: TLV type 0x03 is not allowed here (crc32c is computed by proxyline; use \"proxy_protocol_crc32c on\")",
                "test.conf:4:24: TLV type 0x20 is not allowed here (SSL TLVs describe the client's TLS session and cannot be configured)",
                "test.conf:5:24: TLV type 0xF0 is not allowed here (expected alpn (0x01), authority (0x02), unique_id (0x05), netns (0x30) or 0xE0-0xEF)",
                "test.conf:6:24: unknown TLV type \"alpn2\" (expected alpn, authority, unique_id, netns or 0xE0-0xEF)",
                "test.conf:7:24: TLV crc32c is computed by proxyline; use \"proxy_protocol_crc32c on\" instead",
                "test.conf:9:24: duplicate TLV type 0xE0 (first at line 8)",
                "test.conf:10:34: unique_id TLV value is 129 bytes; the PROXY spec allows at most 128");
    }

    @Test
    void accessLogFormatMustExistAndStreamHasNoDefault() {
        assertThat(errors("""
                stream {
                    access_log /tmp/a.log combined;
                    access_log /tmp/b.log;
                    access_log /tmp/c.log x buffer=1k flush=1s gzip;
                    access_log /tmp/d.log;
                }""")).containsExactly(
                "test.conf:2:27: unknown log format \"combined\" (define it with log_format in stream; stream has no predefined format)",
                "test.conf:3:5: \"access_log\" in stream needs a format name (the stream module has no predefined format)",
                "test.conf:4:27: unknown log format \"x\" (define it with log_format in stream; stream has no predefined format)",
                "test.conf:5:5: \"access_log\" in stream needs a format name (the stream module has no predefined format)");
    }

    @Test
    void accessLogParametersAreChecked() {
        assertThat(errors("""
                stream {
                    log_format f $remote_addr;
                    log_format f $status;
                    access_log /tmp/a.log f flush=1s;
                    access_log /tmp/a.log f gzip=1;
                    access_log off f;
                }""")).containsExactly(
                "test.conf:3:16: duplicate \"log_format\" name \"f\"",
                "test.conf:4:29: flush= needs buffer= in \"access_log\" directive (nothing to flush otherwise)",
                "test.conf:5:29: unsupported access_log parameter \"gzip=1\" (nginx has it, proxyline does not)",
                "test.conf:6:20: \"access_log off\" takes no further parameters");
    }

    @Test
    void serverNeedsListenAndProxyPass() {
        assertThat(errors("stream {\n server { }\n}")).containsExactly(
                "test.conf:2:2: no \"listen\" is defined for stream server",
                "test.conf:2:2: no \"proxy_pass\" is defined for stream server (nothing to relay to)");
    }

    @Test
    void upstreamChecks() {
        assertThat(errors("""
                stream {
                    upstream a { }
                    upstream b { server 10.0.0.1:1 backup; hash $remote_addr; }
                    upstream c { least_conn; random; server 10.0.0.1; server x:1 max_conns=3; }
                    upstream c { server 10.0.0.1:1; }
                }""")).containsExactly(
                "test.conf:2:5: no servers are inside upstream \"a\"",
                "test.conf:3:44: balancing method \"hash\" does not support the \"backup\" parameter of upstream servers",
                "test.conf:4:30: load balancing method redefined (\"least_conn\" at line 4)",
                "test.conf:4:45: no port in \"10.0.0.1\" in upstream \"server\"",
                "test.conf:4:66: unsupported upstream server parameter \"max_conns\" (nginx has it, proxyline does not)",
                "test.conf:5:14: duplicate upstream \"c\" (first at line 4)");
    }

    @Test
    void listenChecks() {
        assertThat(errors("""
                stream {
                    upstream u { server 10.0.0.1:1; }
                    server {
                        listen 10.0.0.1;
                        listen lb.example.com:80;
                        listen 70000;
                        listen 81 ssl=on;
                        listen 82 bogus;
                        listen 83 backlog=x;
                        listen 84 so_keepalive=30m::10;
                        listen 85 deferred;
                        listen [::]:86 ipv6only=yes;
                        proxy_pass u;
                    }
                }""")).containsExactly(
                "test.conf:4:16: no port in \"10.0.0.1\" of \"listen\" directive",
                "test.conf:5:16: listen address \"lb.example.com\" is not an IP literal (proxyline does not resolve names)",
                "test.conf:6:16: invalid port \"70000\" in \"listen\" directive (expected 1-65535)",
                "test.conf:7:19: listen parameter \"ssl\" takes no value",
                "test.conf:8:19: invalid parameter \"bogus\" in \"listen\" directive",
                "test.conf:9:19: invalid number \"x\" in \"listen\" directive (expected 1-65535)",
                "test.conf:10:19: invalid so_keepalive value \"30m::10\" in \"listen\" (proxyline supports on|off; nginx's keepidle:keepintvl:keepcnt form is not supported)",
                "test.conf:11:19: unsupported listen parameter \"deferred\" (nginx has it, proxyline does not)",
                "test.conf:12:24: invalid ipv6only flags \"yes\" in \"listen\" (expected on or off)");
    }

    @Test
    void badValuesAreAllReported() {
        assertThat(errors("""
                stream {
                    proxy_connect_timeout 5x;
                    proxy_timeout -1;
                    proxy_next_upstream maybe;
                    proxy_next_upstream_tries many;
                    proxy_buffer_size 1q;
                    proxy_bind example.com;
                    proxy_protocol_timeout 1s2m;
                    set_real_ip_from 10.0.0.0/40;
                    proxy_protocol_policy sometimes;
                    proxy_protocol_policy require 10.0.0.0/8;
                    proxy_protocol_policy require from;
                }""")).containsExactly(
                "test.conf:2:27: invalid time \"5x\" in \"proxy_connect_timeout\" directive (expected e.g. 500ms, 5s, 1m30s, 1h; units ms s m h d w M y)",
                "test.conf:3:19: invalid time \"-1\" in \"proxy_timeout\" directive (expected e.g. 500ms, 5s, 1m30s, 1h; units ms s m h d w M y)",
                "test.conf:4:25: invalid value \"maybe\" in \"proxy_next_upstream\" directive, it must be \"on\" or \"off\"",
                "test.conf:5:31: invalid number \"many\" in \"proxy_next_upstream_tries\" directive (expected 0-1000000)",
                "test.conf:6:23: invalid size \"1q\" in \"proxy_buffer_size\" directive (expected e.g. 512, 16k, 1m, 1g)",
                "test.conf:7:16: invalid address \"example.com\" in \"proxy_bind\" directive (expected an IP literal or off)",
                "test.conf:8:28: invalid time \"1s2m\" in \"proxy_protocol_timeout\" directive (expected e.g. 500ms, 5s, 1m30s, 1h; units ms s m h d w M y)",
                "test.conf:9:22: invalid address \"10.0.0.0/40\" in \"set_real_ip_from\" directive (expected an IP literal or CIDR such as 10.0.0.0/8; names are not resolved)",
                "test.conf:10:27: invalid value \"sometimes\" in \"proxy_protocol_policy\" directive (expected require, optional, ignore or reject)",
                "test.conf:11:35: expected \"from\" after the policy mode in \"proxy_protocol_policy\", got \"10.0.0.0/8\"",
                "test.conf:12:35: \"from\" needs at least one CIDR in \"proxy_protocol_policy\"");
    }

    @Test
    void aBadStreamLevelValueIsReportedOnceNotOncePerServer() {
        assertThat(errors("""
                stream {
                    proxy_timeout never;
                    upstream u { server 10.0.0.1:1; }
                    server { listen 1; proxy_pass u; }
                    server { listen 2; proxy_pass u; }
                }""")).containsExactly(
                "test.conf:2:19: invalid time \"never\" in \"proxy_timeout\" directive (expected e.g. 500ms, 5s, 1m30s, 1h; units ms s m h d w M y)");
    }

    @Test
    void modelValuesAreImmutable() {
        StreamConfig s = stream("upstream u { server 10.0.0.1:1; }\nserver { listen 1; proxy_pass u; }");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.servers().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.upstreams().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
