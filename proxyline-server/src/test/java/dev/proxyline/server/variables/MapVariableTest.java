package dev.proxyline.server.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.LoadResult;
import dev.proxyline.config.MapBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code map} variables evaluated as nginx evaluates them. */
class MapVariableTest {
    private final List<String> problems = new ArrayList<>();

    private VariableTable table(String maps) {
        LoadResult result = ConfigLoader.parse("t.conf", "http {\n" + maps + "\n}", Path.of("."));
        assertThat(result.errors()).isEmpty();
        List<MapBlock> blocks = ((LoadResult.Loaded) result).config().http().map(HttpConfig::maps).orElseThrow();
        return Exchanges.table().withMaps(blocks, problems);
    }

    private String render(VariableTable table, String template, Exchanges exchange) {
        assertThat(problems).isEmpty();
        StringBuilder out = new StringBuilder();
        Template.compile(template, table).render(exchange.snapshot(), out);
        return out.toString();
    }

    @Test
    void theWebSocketIdiom() {
        VariableTable t = table("map $http_upgrade $connection_upgrade { default upgrade; '' close; }");
        assertThat(render(t, "$connection_upgrade", Exchanges.get())).isEqualTo("close");
        assertThat(render(t, "$connection_upgrade", Exchanges.get().header("Upgrade", "websocket"))).isEqualTo("upgrade");
    }

    @Test
    void exactKeysIgnoreCaseThenSuffixThenPrefixThenRegexInOrderThenDefault() {
        VariableTable t = table("""
                map $http_host $site {
                    hostnames;
                    default            none;
                    example.com        exact;
                    *.example.com      suffix;
                    *.www.example.com  longer-suffix;
                    www.*              prefix;
                    ~^api\\.           regex-1;
                    ~^api              regex-2;
                }""");
        assertThat(render(t, "$site", Exchanges.get().header("Host", "EXAMPLE.com."))).isEqualTo("exact");
        assertThat(render(t, "$site", Exchanges.get().header("Host", "a.example.com"))).isEqualTo("suffix");
        assertThat(render(t, "$site", Exchanges.get().header("Host", "a.www.example.com"))).isEqualTo("longer-suffix");
        assertThat(render(t, "$site", Exchanges.get().header("Host", "www.example.org"))).isEqualTo("prefix");
        assertThat(render(t, "$site", Exchanges.get().header("Host", "api.other"))).isEqualTo("regex-1");
        assertThat(render(t, "$site", Exchanges.get().header("Host", "apix"))).isEqualTo("regex-2");
        assertThat(render(t, "$site", Exchanges.get().header("Host", "other"))).isEqualTo("none");
    }

    @Test
    void regexValuesUseTheirCapturesAndOtherVariables() {
        VariableTable t = table("""
                map $request_uri $moved {
                    ~^/old/(?<rest>.*)$   /new/$rest?from=$request_method;
                    ~*^/ITEM/(\\d+)       /items/$1x$1;
                }""");
        assertThat(render(t, "$moved", Exchanges.get().target("/old/a/b"))).isEqualTo("/new/a/b?from=GET");
        assertThat(render(t, "$moved", Exchanges.get().target("/item/42"))).isEqualTo("/items/42x42");
        assertThat(render(t, "[$moved]", Exchanges.get().target("/other"))).isEqualTo("[]");
    }

    @Test
    void mapsMayUseMapsDefinedLater() {
        VariableTable t = table("""
                map $scheme_or_default $proto { default $first; }
                map $http_x_forwarded_proto $first { default $http_x_forwarded_proto; '' $scheme; }
                """.replace("$scheme_or_default", "$http_x_forwarded_proto"));
        assertThat(render(t, "$proto", Exchanges.get())).isEqualTo("http");
        assertThat(render(t, "$proto", Exchanges.get().header("X-Forwarded-Proto", "https"))).isEqualTo("https");
    }

    @Test
    void aRegexMatchMakesItsCapturesTheRequestsAndAMissLeavesThem() {
        LoadResult result = ConfigLoader.parse("t.conf", """
                http {
                    map $request_uri $m { ~^/a/(?<part>\\w+)/(\\d+) hit; ~^/none$ nogroups; default d; }
                }""", Path.of("."));
        assertThat(result.errors()).isEmpty();
        HttpConfig http = ((LoadResult.Loaded) result).config().http().orElseThrow();
        VariableTable t = Exchanges.table().withSets(http.allSets(), http.allCaptures(), http.mapVariables(), problems)
                .withMaps(http.maps(), problems);
        int one = ((SetVariable) t.require("1")).index();
        int two = ((SetVariable) t.require("2")).index();
        int part = ((SetVariable) t.require("part")).index();
        String[][] values = new String[1][];
        SetValues into = slots -> {
            if (values[0] == null) values[0] = new String[slots];
            return values[0];
        };

        assertThat(render(t, "$m", Exchanges.get().target("/other").writable(into))).isEqualTo("d");
        assertThat(values[0]).as("a miss writes nothing").isNull();
        assertThat(render(t, "$m", Exchanges.get().target("/a/x/42").writable(into))).isEqualTo("hit");
        assertThat(values[0][one]).isEqualTo("x");
        assertThat(values[0][two]).isEqualTo("42");
        assertThat(values[0][part]).isEqualTo("x");
        assertThat(render(t, "$m", Exchanges.get().target("/other").writable(into))).isEqualTo("d");
        assertThat(values[0][one]).as("a miss leaves them").isEqualTo("x");
        assertThat(render(t, "$m", Exchanges.get().target("/none").writable(into))).isEqualTo("nogroups");
        assertThat(values[0][one]).as("a match without groups empties $1..$9").isNull();
        assertThat(values[0][two]).isNull();
        assertThat(values[0][part]).as("and keeps the named groups").isEqualTo("x");
    }

    @Test
    void problemsNameTheMap() {
        table("""
                map $uri $host { default 1; }
                map $uri $a { default $b; }
                map $uri $b { default $a; }
                map $uri $c { default $nope; }
                map $uri $d { x $1; }
                map $nope2 $e { }
                map $uri $f { default $f; }""");
        assertThat(problems).containsExactly(
                "t.conf:2:1: \"map\" cannot define \"$host\": a variable of that name exists",
                "t.conf:5:23: unknown variable \"$nope\" in \"$nope\"",
                "t.conf:6:17: unknown variable \"$1\" in \"$1\"",
                "t.conf:7:5: unknown variable \"$nope2\" in \"$nope2\"",
                "t.conf:3:1: \"map\" variable \"$a\" uses itself ($a -> $b -> $a)",
                "t.conf:4:1: \"map\" variable \"$b\" uses itself ($b -> $a -> $b)",
                "t.conf:8:1: \"map\" variable \"$f\" uses itself ($f -> $f)");
    }
}
