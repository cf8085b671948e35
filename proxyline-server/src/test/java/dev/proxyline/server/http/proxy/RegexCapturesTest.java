package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.LoadResult;
import dev.proxyline.config.NginxRegex;
import dev.proxyline.server.variables.SetVariable;
import dev.proxyline.server.variables.VariableTable;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The variables a regex's match assigns ({@code $1}..{@code $9}, named groups) for every regex of the rewrite module
 * and of a regex location, and the configuration's mistakes with them, each named by its own directive.
 */
class RegexCapturesTest {
    private static HttpConfig load(String text) {
        LoadResult result = ConfigLoader.parse("c.conf", text, Path.of("."));
        assertThat(result.errors()).isEmpty();
        return ((LoadResult.Loaded) result).config().http().orElseThrow();
    }

    /** The table as HttpListeners makes it, with the problems found. */
    private static VariableTable table(HttpConfig http, List<String> problems) {
        return VariableTable.http(ZoneId.of("UTC"), "host", 1)
                .withSets(http.allSets(), http.allCaptures(), http.mapVariables(), problems)
                .withMaps(http.maps(), problems);
    }

    @Test
    void aNamedGroupCalledLikeNginxsVariableIsNamedByItsDirective() {
        HttpConfig http = load("""
                http {
                    server {
                        listen 127.0.0.1:8080;
                        location /r/ { rewrite "^/r/(?<host>.*)$" /x; }
                        location / { if ($uri ~ "(?P<uri>.*)") { return 204; } }
                        location ~ "^/l/(?<request_uri>.*)$" { return 204; }
                    }
                }
                """);
        List<String> problems = new ArrayList<>();
        table(http, problems);
        String file = "c.conf";
        assertThat(problems).containsExactly(
                file + ":4:24: the duplicate \"host\" variable: the \"rewrite\" regex's named group \"host\" is a"
                        + " variable of nginx's",
                file + ":5:22: the duplicate \"uri\" variable: the \"if\" regex's named group \"uri\" is a variable"
                        + " of nginx's",
                file + ":6:9: the duplicate \"request_uri\" variable: the \"location\" regex's named group"
                        + " \"request_uri\" is a variable of nginx's");
        assertThat(problems).noneMatch(p -> p.contains("\"set\""));
    }

    @Test
    void aNamedGroupCalledLikeAMapIsTheGroupsProblemNotTheMaps() {
        HttpConfig http = load("""
                http {
                    map $uri $kind { default a; }
                    server { listen 127.0.0.1:8080; location / { rewrite "^/(?<Kind>\\\\w+)" /x; } }
                }
                """);
        List<String> problems = new ArrayList<>();
        table(http, problems);
        assertThat(problems).singleElement().asString()
                .startsWith("c.conf:3:50: the \"rewrite\" regex's named group \"kind\" is the"
                        + " variable of a map");
    }

    @Test
    void aNamedGroupCalledLikeASetVariableSharesItsValue() {
        HttpConfig http = load("""
                http {
                    server {
                        listen 127.0.0.1:8080;
                        set $my_part none;
                        location ~ "^/(?<my_part>[a-z]+)/(\\\\d+)$" { return 200 "$my_part $1"; }
                        location / { rewrite "^/x/(?<other_part>.*)" /y; return 200 $other_part; }
                    }
                }
                """);
        List<String> problems = new ArrayList<>();
        VariableTable table = table(http, problems);
        assertThat(problems).isEmpty();
        assertThat(table.require("my_part")).isInstanceOf(SetVariable.class);
        assertThat(table.require("other_part")).isInstanceOf(SetVariable.class);
        assertThat(table.require("9")).isInstanceOf(SetVariable.class);
        assertThat(http.allCaptures()).extracting(c -> c.directive() + " " + c.variable())
                .contains("location my_part", "rewrite other_part", "location 1", "rewrite 9");
    }

    @Test
    void aRegexLocationWithoutGroupsAssignsNothing() {
        HttpConfig http = load("""
                http { server { listen 127.0.0.1:8080; location ~ \\.php$ { return 204; } location ~* ^/(a)$ { } } }
                """);
        assertThat(http.allCaptures()).extracting(c -> c.directive()).containsOnly("location").hasSize(9);
    }

    @Test
    void aMatchAssignsEveryCaptureAndAMissEmptiesOnlyTheNumberedOnes() {
        HttpConfig http = load("""
                http { server { listen 127.0.0.1:8080; location / { rewrite "^/(?<the_word>[a-z]+)/(\\\\d+)" /x; } } }
                """);
        VariableTable table = table(http, new ArrayList<>());
        Pattern regex = NginxRegex.compile("^/(?<the_word>[a-z]+)/(\\d+)", 0);
        RegexCaptures captures = RegexCaptures.of(regex, table);
        String[] values = new String[table.setSlots()];
        Matcher hit = regex.matcher("/abc/42");
        captures.assign(hit, hit.find(), values);
        assertThat(values[slot(table, "1")]).isEqualTo("abc");
        assertThat(values[slot(table, "2")]).isEqualTo("42");
        assertThat(values[slot(table, "3")]).isNull();
        assertThat(values[slot(table, "the_word")]).isEqualTo("abc");
        Matcher miss = regex.matcher("nothing");
        captures.assign(miss, miss.find(), values);
        assertThat(values[slot(table, "1")]).isNull();
        assertThat(values[slot(table, "the_word")]).as("a named group keeps its last match").isEqualTo("abc");
    }

    private static int slot(VariableTable table, String name) {
        return ((SetVariable) table.require(name)).index();
    }
}
