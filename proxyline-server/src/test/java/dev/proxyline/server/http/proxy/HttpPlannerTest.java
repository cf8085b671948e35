package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.LoadResult;
import dev.proxyline.config.Location;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.runtime.RuntimePlanException;
import dev.proxyline.server.variables.VariableTable;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpPlannerTest {
    @TempDir
    Path dir;

    private HttpConfig load(String text) throws Exception {
        Path file = dir.resolve("p.conf");
        Files.writeString(file, text);
        LoadResult result = ConfigLoader.load(file);
        assertThat(result.errors()).isEmpty();
        return ((LoadResult.Loaded) result).config().http().orElseThrow();
    }

    private HttpPlanner planner() {
        return planner(VariableTable.http(ZoneId.of("UTC"), "host", 1));
    }

    private HttpPlanner planner(VariableTable variables) {
        return new HttpPlanner(variables,
                name -> {
                    if (name.equals("missing")) throw new java.net.UnknownHostException(name);
                    return List.of(InetAddress.getByName("127.0.0.9"));
                }, System::nanoTime, new SplittableRandom(1), dir,
                targets -> SessionLog.off());
    }

    @Test
    void oneListenerPlanPerSocketWithItsServersAndLocations() throws Exception {
        HttpConfig http = load("""
                http {
                    upstream app { server 127.0.0.1:81; keepalive 8; }
                    server { listen 127.0.0.1:8080; server_name a; location /x/ { proxy_pass http://app/y/; } }
                    server { listen 127.0.0.1:8080; server_name b; location / { return 204; } }
                    server { listen 127.0.0.1:8081 proxy_protocol; set_real_ip_from 10.0.0.0/8; location / { proxy_pass http://app; } }
                }
                """);
        List<HttpListenerPlan> plans = planner().plan(http);

        assertThat(plans).hasSize(2);
        assertThat(plans.get(0).hosts().servers()).hasSize(2);
        assertThat(plans.get(0).listener().receive()).isEmpty();
        assertThat(plans.get(1).listener().receive()).isPresent();
        ServerPlan a = plans.get(0).server(http.servers().get(0));
        LocationPlan x = a.plan(http.servers().get(0).locations().get(0));
        LocationPlan.Forward forward = (LocationPlan.Forward) x.action();
        assertThat(forward.pool().enabled()).isTrue();
        assertThat(forward.uri().apply("/x/z", "/x/z")).isEqualTo("/y/z");
        // Both locations naming "app" share the group and its pool, as nginx shares an upstream's state.
        LocationPlan other = plans.get(1).server(http.servers().get(2)).plan(http.servers().get(2).locations().get(0));
        assertThat(((LocationPlan.Forward) other.action()).pool()).isSameAs(forward.pool());
        assertThat(((LocationPlan.Forward) other.action()).upstream().group()).isSameAs(forward.upstream().group());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPosition() throws Exception {
        HttpConfig http = load("""
                http {
                    server {
                        listen 127.0.0.1:8443 ssl; ssl_certificate c.pem; ssl_certificate_key k.pem;
                        location / { proxy_pass http://missing; }
                        location /h { proxy_set_header X-A $no_such_variable; proxy_pass http://127.0.0.1:81; }
                    }
                }
                """);
        assertThatThrownBy(() -> planner().plan(http))
                .isInstanceOf(RuntimePlanException.class)
                .satisfies(e -> assertThat(((RuntimePlanException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("p.conf:4:").contains("host not found in upstream \"missing:80\""))
                        .anySatisfy(p -> assertThat(p).contains("p.conf:5:").contains("no_such_variable"))
                        .hasSize(2)); // an ssl listen is served: certificates are loaded when the sockets are bound
    }

    @Test
    void anUpstreamNoProxyPassNamesIsReadiedAtStartAsNginxDoesSoItsProblemsStopTheStart() throws Exception {
        HttpConfig http = load("""
                http {
                    upstream unused { server missing:8080; }
                    upstream used { server 127.0.0.1:81; }
                    server { listen 127.0.0.1:8080; location / { proxy_pass http://used; } }
                }
                """);
        assertThatThrownBy(() -> planner().plan(http))
                .isInstanceOf(RuntimePlanException.class)
                .satisfies(e -> assertThat(((RuntimePlanException) e).problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains("p.conf:2:").contains("missing:8080")));
    }

    @Test
    void aResolverGivenByNameIsLookedUpAtStartAndOneWithoutAddressStopsIt() throws Exception {
        HttpConfig named = load("""
                http {
                    resolver some.dns:5353 valid=10s;
                    server { listen 127.0.0.1:8080; location / { proxy_pass http://$host; } }
                }
                """);
        assertThat(planner().plan(named)).hasSize(1);
        HttpConfig missing = load("""
                http {
                    server {
                        listen 127.0.0.1:8080;
                        location /a { resolver missing; proxy_pass http://$host; }
                        location /b { resolver missing; proxy_pass http://$host$request_uri; }
                    }
                }
                """);
        assertThatThrownBy(() -> planner().plan(missing))
                .isInstanceOf(RuntimePlanException.class)
                .satisfies(e -> assertThat(((RuntimePlanException) e).problems()).singleElement()
                        .satisfies(p -> assertThat(p).endsWith("p.conf:4:23: host not found in resolver \"missing\"")));
    }

    @Test
    void httpsLocationsAgreeingOnTheirSettingsShareOneTlsAndAPlainOneHasNone() throws Exception {
        HttpConfig http = load("""
                http {
                    upstream app { server 127.0.0.1:81; keepalive 8; }
                    server {
                        listen 127.0.0.1:8080;
                        location /a { proxy_pass https://app; }
                        location /b { proxy_pass https://app; }
                        location /c { proxy_ssl_server_name on; proxy_pass https://app; }
                        location /d { proxy_pass http://app; }
                    }
                }
                """);
        HttpListenerPlan plan = planner().plan(http).get(0);
        List<LocationPlan.Forward> forwards = http.servers().get(0).locations().stream()
                .map(l -> (LocationPlan.Forward) plan.server(http.servers().get(0)).plan(l).action()).toList();
        assertThat(forwards.get(0).tls()).isPresent();
        assertThat(forwards.get(1).tls().get()).isSameAs(forwards.get(0).tls().get());
        assertThat(forwards.get(2).tls().get()).isNotSameAs(forwards.get(0).tls().get());
        assertThat(forwards.get(0).tls().get().name()).isEqualTo("app");
        assertThat(forwards.get(3).tls()).isEmpty();
        assertThat(forwards.get(3).pool()).isSameAs(forwards.get(0).pool());
    }

    @Test
    void aProxySslFileThatCannotBeReadStopsThePlanNamingWhereItWasNamed() throws Exception {
        HttpConfig http = load("""
                http {
                    server {
                        listen 127.0.0.1:8080;
                        proxy_ssl_verify on;
                        proxy_ssl_trusted_certificate no-such-ca.pem;
                        location / { proxy_pass https://127.0.0.1:8443; }
                        location /other { proxy_pass https://127.0.0.1:9443; }
                    }
                }
                """);
        assertThatThrownBy(() -> planner().plan(http))
                .isInstanceOf(RuntimePlanException.class)
                .satisfies(e -> assertThat(((RuntimePlanException) e).problems()).singleElement().satisfies(p ->
                        assertThat(p).contains("p.conf:5:39: \"proxy_ssl_trusted_certificate\" file ")
                                .contains("no-such-ca.pem: cannot read it")));
    }

    @Test
    void aRegexLocationKeepsItsCapturesUnlessItsFirstStepIsARewriteAndItNamesNoGroup() throws Exception {
        HttpConfig http = load("""
                http {
                    server {
                        listen 127.0.0.1:8080;
                        location ~ ^/api/(.*)$ { return 200 $1; }
                        location ~ "^/n/(?<rest>.*)$" { rewrite ^ /x break; proxy_pass http://127.0.0.1:81; }
                        location ~* "^/app(/|$)(.*)" { rewrite "(?i)/app(/|$)(.*)" /$2 break; proxy_pass http://127.0.0.1:81; }
                    }
                }
                """);
        List<String> problems = new ArrayList<>();
        VariableTable table = VariableTable.http(ZoneId.of("UTC"), "host", 1)
                .withSets(http.allSets(), http.allCaptures(), http.mapVariables(), problems);
        assertThat(problems).isEmpty();
        ServerPlan server = planner(table).plan(http).get(0).server(http.servers().get(0));
        List<Location> locations = http.servers().get(0).locations();
        assertThat(server.plan(locations.get(0)).rewrites()).first().isInstanceOf(LocationPlan.LocationCaptures.class);
        assertThat(server.plan(locations.get(1)).rewrites()).as("its named group is read after the rewrite")
                .first().isInstanceOf(LocationPlan.LocationCaptures.class);
        assertThat(server.plan(locations.get(2)).rewrites()).as("the rewrite replaces $1..$9 at once")
                .singleElement().isInstanceOf(LocationPlan.Rewrite.class);
    }

    @Test
    void aNestedLocationTakesTheCapturesOfEveryRegexLocationItIsInOutermostFirst() throws Exception {
        HttpConfig http = load("""
                http {
                    server {
                        listen 127.0.0.1:8080;
                        location ~ /r/ {
                            location /r/b/ { return 200 "$1"; }
                            location ~ "/(?<inner>\\d+)$" { return 200 "$inner $1"; }
                        }
                        location /p/ { location ~ ^/p/(.*)$ { return 200 $1; } }
                    }
                }
                """);
        List<String> problems = new ArrayList<>();
        VariableTable table = VariableTable.http(ZoneId.of("UTC"), "host", 1)
                .withSets(http.allSets(), http.allCaptures(), http.mapVariables(), problems);
        assertThat(problems).isEmpty();
        ServerPlan server = planner(table).plan(http).get(0).server(http.servers().get(0));
        Location outer = http.servers().get(0).locations().get(0);
        assertThat(server.plan(outer).rewrites()).extracting(s -> ((LocationPlan.LocationCaptures) s).match())
                .containsExactly(0);
        assertThat(server.plan(outer.locations().get(0)).rewrites()).as("a prefix location inside the regex")
                .extracting(s -> ((LocationPlan.LocationCaptures) s).match()).containsExactly(0);
        assertThat(server.plan(outer.locations().get(1)).rewrites())
                .extracting(s -> ((LocationPlan.LocationCaptures) s).match()).containsExactly(0, 1);
        Location prefix = http.servers().get(0).locations().get(1);
        assertThat(server.plan(prefix).rewrites()).isEmpty();
        assertThat(server.plan(prefix.locations().get(0)).rewrites())
                .extracting(s -> ((LocationPlan.LocationCaptures) s).match()).as("a prefix location matches no regex")
                .containsExactly(0);
    }
}
