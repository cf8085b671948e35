package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static dev.proxyline.config.TestConfigs.stream;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** {@code map} blocks as nginx reads them: keys, masks, regexes and the special parameters. */
class MapConfigTest {
    @Test
    void theWebSocketIdiomReadsAsAnExactKeyAndADefault() {
        MapBlock map = http("""
                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }
                server { }""").maps().get(0);
        assertThat(map.source().value()).isEqualTo("$http_upgrade");
        assertThat(map.variable()).isEqualTo("connection_upgrade");
        assertThat(map.fallback()).map(Argument::value).contains("upgrade");
        assertThat(map.entries()).extracting(MapBlock.Entry::key).containsExactly(new MapBlock.Key.Exact(""));
        assertThat(map.entries()).extracting(e -> e.value().value()).containsExactly("close");
    }

    @Test
    void keysOfEveryKind() {
        MapBlock map = http("""
                map $host $name {
                    hostnames;
                    volatile;
                    Example.COM     1;
                    *.example.com   2;
                    .example.net    3;
                    mail.*          4;
                    ~^www\\d+\\.    5;
                    "~*^API\\."     6;
                    \\default       7;
                }""").maps().get(0);
        assertThat(map.hostnames()).isTrue();
        assertThat(map.fallback()).isEmpty();
        assertThat(map.entries()).extracting(MapBlock.Entry::key).containsExactly(
                new MapBlock.Key.Exact("example.com"), new MapBlock.Key.Suffix(".example.com"),
                new MapBlock.Key.Exact("example.net"), new MapBlock.Key.Suffix(".example.net"),
                new MapBlock.Key.Prefix("mail."), new MapBlock.Key.Regex("^www\\d+\\.", false),
                new MapBlock.Key.Regex("^API\\.", true), new MapBlock.Key.Exact("default"));
    }

    @Test
    void withoutHostnamesAMaskIsAPlainString() {
        assertThat(http("map $host $x { *.example.com 1; }").maps().get(0).entries())
                .extracting(MapBlock.Entry::key).containsExactly(new MapBlock.Key.Exact("*.example.com"));
    }

    @Test
    void streamHasMapsToo() {
        assertThat(stream("map $remote_addr $limit { 127.0.0.1 \"\"; default $binary_remote_addr; }").maps())
                .extracting(MapBlock::variable).containsExactly("limit");
    }

    @Test
    void pcreNamedGroupsCompile() {
        Matcher m = new MapBlock.Key.Regex("^/(?P<rest>.*)$", false).compile().matcher("/a/b");
        assertThat(m.find()).isTrue();
        assertThat(m.group("rest")).isEqualTo("a/b");
    }

    @Test
    void aRegexWithGroupsAssignsTheRequestsCapturesAndOneWithoutDeclaresNone() {
        HttpConfig http = http("""
                map $uri $m { ~^/a/(?<part>\\w+)$ a; ~^/b$ b; c c; }
                server { }""");
        assertThat(http.allCaptures()).extracting(CaptureVariable::variable)
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "part");
        assertThat(http.allCaptures()).extracting(CaptureVariable::directive).containsOnly("map");
        assertThat(http.allCaptures().get(0).position().toString()).isEqualTo("test.conf:2:34");
    }

    @Test
    void mistakesNameTheirPlace() {
        assertThat(errors("""
                http {
                    map $a b { default 1; }
                    map $a $x { default 1; default 2; one; two 2 3; ~( 1; a 1; A 2; loc { } }
                    map $b $y { }
                    map $c $y { }
                    map $host $h { hostnames; www.*.com 1; }
                }""")).containsExactly(
                "test.conf:2:12: invalid variable name \"b\" in \"map\" (expected $ and letters, digits or _)",
                "test.conf:3:28: duplicate default map parameter (first at line 3)",
                "test.conf:3:39: invalid number of the map parameters for \"one\" (expected a key and one value)",
                "test.conf:3:44: invalid number of the map parameters for \"two\" (expected a key and one value)",
                "test.conf:3:53: invalid regular expression \"(\" in \"map\": Unclosed group near index 1",
                "test.conf:3:64: conflicting map parameter \"A\" (first at line 3)",
                "test.conf:3:69: a \"map\" entry takes no block",
                "test.conf:5:12: duplicate map variable \"$y\" (first at test.conf:4:5)",
                "test.conf:6:31: invalid host name mask \"www.*.com\" in \"map\" (expected *.name, .name or name.*)");
    }
}
