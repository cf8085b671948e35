package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

/** limit_req_zone, limit_req and their settings, and limit_conn's log level and dry run, as nginx reads them. */
class LimitReqConfigTest {
    @Test
    void zonesKeepNginxsRateInThousandthsOfARequestPerSecond() {
        HttpConfig h = http("""
                limit_req_zone $binary_remote_addr zone=one:10m rate=10r/s;
                limit_req_zone $server_name rate=30r/m zone=two:32k;
                limit_req_zone $uri zone=three:1m rate=1r/m;
                limit_req_zone $uri zone=four:1m rate=5;
                server { }""");
        assertThat(h.limitReqZones().values()).extracting(LimitReqZone::name, LimitReqZone::key, LimitReqZone::size,
                LimitReqZone::rate).containsExactly(
                tuple("one", "$binary_remote_addr", 10L << 20, 10_000L),
                tuple("two", "$server_name", 32L << 10, 500L),
                tuple("three", "$uri", 1L << 20, 16L),
                tuple("four", "$uri", 1L << 20, 5_000L));
    }

    @Test
    void limitReqParametersAndDefaults() {
        HttpConfig h = http("""
                limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s;
                limit_req_zone $server_name zone=two:1m rate=1r/s;
                server {
                    location /a { limit_req zone=one; }
                    location /b { limit_req zone=one burst=5 nodelay; limit_req zone=two burst=10 delay=4;
                                  limit_req_status 429; limit_req_log_level warn; limit_req_dry_run on; }
                }""");
        LimitReqSettings a = h.servers().get(0).locations().get(0).settings().limitReq();
        assertThat(a.rules()).extracting(LimitReqSettings.Rule::zone, LimitReqSettings.Rule::burst,
                LimitReqSettings.Rule::delay).containsExactly(tuple("one", 0, 0));
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.logLevel()).isEqualTo(ErrorLog.Level.ERROR);
        assertThat(a.dryRun()).isFalse();
        LimitReqSettings b = h.servers().get(0).locations().get(1).settings().limitReq();
        assertThat(b.rules()).extracting(LimitReqSettings.Rule::zone, LimitReqSettings.Rule::burst,
                LimitReqSettings.Rule::delay).containsExactly(
                tuple("one", 5, LimitReqSettings.Rule.NO_DELAY), tuple("two", 10, 4));
        assertThat(b.status()).isEqualTo(429);
        assertThat(b.logLevel()).isEqualTo(ErrorLog.Level.WARN);
        assertThat(b.dryRun()).isTrue();
    }

    @Test
    void aLevelWithItsOwnLimitReqsReplacesTheOuterOnesAndOneWithoutInheritsThem() {
        HttpConfig h = http("""
                limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s;
                limit_req_zone $server_name zone=two:1m rate=1r/s;
                limit_req zone=one burst=3;
                limit_req_status 429;
                server {
                    location /inherits { }
                    location /own { limit_req zone=two; }
                }
                server {
                    limit_req zone=two burst=1;
                    limit_req_dry_run on;
                    location /inherits { }
                    location /twice { limit_req zone=one; limit_req zone=two; }
                }""");
        HttpServer first = h.servers().get(0);
        assertThat(first.locations().get(0).settings().limitReq().rules()).extracting(LimitReqSettings.Rule::zone)
                .containsExactly("one");
        assertThat(first.locations().get(0).settings().limitReq().status()).isEqualTo(429);
        assertThat(first.locations().get(1).settings().limitReq().rules()).extracting(LimitReqSettings.Rule::zone)
                .containsExactly("two");
        HttpServer second = h.servers().get(1);
        assertThat(second.locations().get(0).settings().limitReq().rules())
                .extracting(LimitReqSettings.Rule::zone, LimitReqSettings.Rule::burst).containsExactly(tuple("two", 1));
        assertThat(second.locations().get(0).settings().limitReq().dryRun()).isTrue();
        assertThat(second.locations().get(1).settings().limitReq().rules()).extracting(LimitReqSettings.Rule::zone)
                .containsExactly("one", "two");
    }

    @Test
    void limitConnLogLevelAndDryRun() {
        HttpConfig h = http("""
                limit_conn_zone $binary_remote_addr zone=addr:1m;
                limit_conn_log_level info;
                server { location / { limit_conn addr 1; limit_conn_dry_run on; } location /x { } }""");
        LimitConnOptions location = h.servers().get(0).locations().get(0).settings().limitConnOptions();
        assertThat(location).isEqualTo(new LimitConnOptions(ErrorLog.Level.INFO, true));
        assertThat(h.servers().get(0).locations().get(1).settings().limitConnOptions())
                .isEqualTo(new LimitConnOptions(ErrorLog.Level.INFO, false));
        assertThat(http("server { }").settings().limitConnOptions())
                .isEqualTo(new LimitConnOptions(ErrorLog.Level.ERROR, false));
    }

    @Test
    void badZonesAreReportedWhereTheyAre() {
        assertThat(errors("""
                http {
                    limit_req_zone $a zone=one rate=1r/s;
                    limit_req_zone $a zone=two:1k rate=1r/s;
                    limit_req_zone $a zone=three:1m rate=1r/h;
                    limit_req_zone $a zone=four:1m rate=0r/s;
                    limit_req_zone $a zone=five:1m rate=1r/s sync;
                    limit_req_zone $a rate=1r/s burst=1;
                    limit_req_zone $a rate=1r/s nozone;
                    limit_req_zone $a zone=six:1m rate=1r/s;
                    limit_req_zone $b zone=six:1m rate=2r/s;
                    limit_req_zone $a zone=seven:1m;
                }""")).containsExactly(
                "test.conf:2:23: invalid zone size \"one\" in \"limit_req_zone\" (expected zone=NAME:SIZE, e.g. "
                        + "zone=one:10m)",
                "test.conf:3:23: zone \"two\" is too small (at least 32k)",
                "test.conf:4:37: invalid rate \"rate=1r/h\" (expected e.g. rate=10r/s or rate=30r/m)",
                "test.conf:5:36: invalid rate \"rate=0r/s\" (expected e.g. rate=10r/s or rate=30r/m)",
                "test.conf:6:46: \"sync\" in \"limit_req_zone\" is not supported: it shares a zone between the servers"
                        + " of an NGINX Plus cluster; a proxyline zone is shared by the workers of one process only",
                "test.conf:7:33: invalid parameter \"burst=1\" in \"limit_req_zone\"",
                "test.conf:8:33: invalid parameter \"nozone\" in \"limit_req_zone\"",
                "test.conf:10:5: limit_req_zone \"six\" is already bound to key \"$a\" (at test.conf:9:5)",
                "test.conf:11:5: invalid number of arguments in \"limit_req_zone\" directive (expected 3 to 4, got 2)");
    }

    @Test
    void badLimitReqsAreReportedWhereTheyAre() {
        assertThat(errors("""
                http {
                    limit_req_zone $a zone=one:1m rate=1r/s;
                    limit_req burst=3;
                    server {
                        limit_req zone=one burst=0;
                        limit_req zone=one delay=x;
                        location / { limit_req zone=one fast; limit_req_status 302; limit_req_log_level crit; }
                        location /a { limit_req zone=one; limit_req zone=one burst=2; limit_req_dry_run maybe; }
                        location /b { limit_req zone=nowhere; }
                    }
                }""")).containsExactly(
                "test.conf:3:5: \"limit_req\" must have \"zone\" parameter",
                "test.conf:5:28: invalid burst value \"burst=0\" (expected a number of requests, at least 1)",
                "test.conf:6:28: invalid delay value \"delay=x\" (expected a number of requests, at least 1)",
                "test.conf:7:41: invalid parameter \"fast\" in \"limit_req\" (expected zone=NAME, burst=N, nodelay or "
                        + "delay=N)",
                "test.conf:7:64: invalid number \"302\" in \"limit_req_status\" directive (expected 400-599)",
                "test.conf:7:89: invalid value \"crit\" in \"limit_req_log_level\" directive (expected info, notice, "
                        + "warn or error)",
                "test.conf:8:43: \"limit_req\" directive is duplicate (zone \"one\")",
                "test.conf:8:89: invalid value \"maybe\" in \"limit_req_dry_run\" directive, it must be \"on\" or "
                        + "\"off\"",
                "test.conf:9:23: zero size shared memory zone \"nowhere\" (no limit_req_zone defines it)");
    }
}
