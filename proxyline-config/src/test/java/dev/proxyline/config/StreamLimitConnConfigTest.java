package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.stream;
import static dev.proxyline.config.TestConfigs.streamServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

/** The stream {@code limit_conn} module's directives: forms, inheritance and errors. */
class StreamLimitConnConfigTest {
    @Test
    void zoneLimitsLogLevelAndDryRunAreRead() {
        StreamConfig s = stream("""
                upstream b { server 10.0.0.1:80; }
                limit_conn_zone $binary_remote_addr zone=addr:10m;
                limit_conn_zone "$server_port $remote_addr" zone=pairs:64k;
                server {
                    listen 9000;
                    proxy_pass b;
                    limit_conn addr 1;
                    limit_conn pairs 20;
                    limit_conn_log_level warn;
                    limit_conn_dry_run on;
                }""");
        assertThat(s.limitConnZones().values()).extracting(LimitConnZone::name, LimitConnZone::key, LimitConnZone::size)
                .containsExactly(tuple("addr", "$binary_remote_addr", 10L << 20),
                        tuple("pairs", "$server_port $remote_addr", 64L << 10));
        StreamSettings settings = s.servers().get(0).settings();
        assertThat(settings.limitConns()).extracting(HttpSettings.LimitConn::zone, HttpSettings.LimitConn::number)
                .containsExactly(tuple("addr", 1), tuple("pairs", 20));
        assertThat(settings.limitConnOptions()).isEqualTo(new LimitConnOptions(ErrorLog.Level.WARN, true));
    }

    @Test
    void withoutTheDirectivesNothingIsLimitedAndTheDefaultsAreNginxs() {
        StreamSettings settings = streamServer("", "").settings();
        assertThat(settings.limitConns()).isEmpty();
        assertThat(settings.limitConnOptions()).isEqualTo(new LimitConnOptions(ErrorLog.Level.ERROR, false));
    }

    @Test
    void aServerWithItsOwnLimitsReplacesTheStreamLevelOnes() {
        String zones = """
                limit_conn_zone $binary_remote_addr zone=addr:10m;
                limit_conn_zone $server_port zone=port:10m;
                limit_conn addr 2;
                limit_conn port 100;
                limit_conn_log_level info;""";
        assertThat(streamServer(zones, "").settings().limitConns())
                .extracting(HttpSettings.LimitConn::zone, HttpSettings.LimitConn::number)
                .as("inherited whole").containsExactly(tuple("addr", 2), tuple("port", 100));
        StreamSettings own = streamServer(zones, "limit_conn addr 5;").settings();
        assertThat(own.limitConns()).extracting(HttpSettings.LimitConn::zone, HttpSettings.LimitConn::number)
                .as("replaced whole").containsExactly(tuple("addr", 5));
        assertThat(own.limitConnOptions().logLevel()).isEqualTo(ErrorLog.Level.INFO);
    }

    @Test
    void errorsNameTheirPlace() {
        assertThat(errors("""
                stream {
                    upstream b { server 10.0.0.1:80; }
                    limit_conn_zone $binary_remote_addr addr:10m;
                    limit_conn_zone $remote_addr zone=twice:1m;
                    limit_conn_zone $server_port zone=twice:1m;
                    limit_conn nowhere 1;
                    limit_conn_dry_run maybe;
                    server {
                        listen 9000;
                        proxy_pass b;
                        limit_conn twice 0;
                        limit_conn elsewhere 3;
                        limit_conn_log_level debug;
                        limit_conn_status 429;
                    }
                }""")).containsExactlyInAnyOrder(
                "test.conf:3:41: invalid zone \"addr:10m\" in \"limit_conn_zone\" (expected zone=NAME:SIZE)",
                "test.conf:5:34: duplicate zone \"twice\" (first at test.conf:4:5)",
                "test.conf:6:5: zero size shared memory zone \"nowhere\" (no limit_conn_zone defines it)",
                "test.conf:7:24: invalid value \"maybe\" in \"limit_conn_dry_run\" directive, it must be \"on\" or \"off\"",
                "test.conf:11:26: invalid number \"0\" in \"limit_conn\" directive (expected 1-65535)",
                "test.conf:12:9: zero size shared memory zone \"elsewhere\" (no limit_conn_zone defines it)",
                "test.conf:13:30: invalid value \"debug\" in \"limit_conn_log_level\" directive (expected info, notice, "
                        + "warn or error)",
                "test.conf:14:9: \"limit_conn_status\" directive is not allowed in stream server (allowed in: http, "
                        + "http server, location)");
    }

    @Test
    void theZoneAndItsLimitsBelongToTheirContexts() {
        assertThat(errors("""
                stream {
                    upstream b { server 10.0.0.1:80; }
                    server {
                        listen 9000;
                        proxy_pass b;
                        limit_conn_zone $remote_addr zone=addr:1m;
                    }
                }""")).containsExactly("test.conf:6:9: \"limit_conn_zone\" directive is not allowed in stream server "
                + "(allowed in: http, stream)");
    }
}
