package dev.proxyline.server.http.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.HttpAction;
import dev.proxyline.config.Location;
import dev.proxyline.config.LocationMatch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationRouterTest {
    /** Each location answers "return 200 NAME", so a test names the location it expects by that text. */
    private static LocationRouter router(String locations) {
        return new LocationRouter(Configs.server("listen 80;\n" + locations).locations());
    }

    private static String chosen(LocationRouter router, String path) {
        LocationRouter.Routed r = router.route(path);
        assertThat(r).as(path).isInstanceOf(LocationRouter.Routed.Ok.class);
        LocationRoute route = ((LocationRouter.Routed.Ok) r).route();
        if (route instanceof LocationRoute.NotFound) return "none";
        Location l = ((LocationRoute.Found) route).location();
        return ((HttpAction.Return) l.action().orElseThrow()).textOrUrl().orElseThrow();
    }

    /** The example of nginx's {@code location} documentation, configurations A to E. */
    private static final LocationRouter NGINX_DOC = router("""
            location = / { return 200 A; }
            location / { return 200 B; }
            location /documents/ { return 200 C; }
            location ^~ /images/ { return 200 D; }
            location ~* \\.(gif|jpg|jpeg)$ { return 200 E; }
            """);

    @ParameterizedTest
    @CsvSource({
            "/, A",
            "/index.html, B",
            "/documents/document.html, C",
            "/images/1.gif, D",
            "/documents/1.jpg, E",
            "/documents/1.JPG, E",
            "/1.Jpeg, E",
            "/documents, B",
            "/images, B",
            "/?x=1, A",
            "//, A",
            "/images/../1.gif, E",
            "/documents/%2e%2e/images/1.gif, D",
    })
    void followsTheExampleOfNginxsLocationDocumentation(String path, String expected) {
        assertThat(chosen(NGINX_DOC, path)).isEqualTo(expected);
    }

    @Test
    void exactMatchWinsOverRegexAndLongerPrefixes() {
        LocationRouter r = router("""
                location ~ ^/api { return 200 regex; }
                location = /api/v1 { return 200 exact; }
                location /api/v1 { return 200 prefix; }
                """);
        assertThat(chosen(r, "/api/v1")).isEqualTo("exact");
        assertThat(chosen(r, "/api/v1/x")).isEqualTo("regex");
        assertThat(chosen(r, "/api/v")).isEqualTo("regex");
    }

    @Test
    void longestPrefixWinsWhateverTheDeclarationOrder() {
        LocationRouter r = router("""
                location /a { return 200 a; }
                location /a/b/c { return 200 abc; }
                location /a/b { return 200 ab; }
                """);
        assertThat(chosen(r, "/a/b/c/d")).isEqualTo("abc");
        assertThat(chosen(r, "/a/b/x")).isEqualTo("ab");
        assertThat(chosen(r, "/a/bc")).isEqualTo("ab");
        assertThat(chosen(r, "/ax")).isEqualTo("a");
        assertThat(chosen(r, "/b")).isEqualTo("none");
    }

    @Test
    void firstMatchingRegexInConfigOrderWinsNotTheLongest() {
        LocationRouter r = router("""
                location / { return 200 root; }
                location ~ \\.php$ { return 200 php; }
                location ~ ^/admin/.*\\.php$ { return 200 admin; }
                """);
        assertThat(chosen(r, "/admin/x.php")).isEqualTo("php");
        assertThat(chosen(r, "/admin/x.html")).isEqualTo("root");
    }

    @Test
    void onlyTheLongestPrefixDecidesWhetherRegexesAreSkipped() {
        LocationRouter r = router("""
                location ^~ /static/ { return 200 static; }
                location /static/js/ { return 200 js; }
                location ~ \\.js$ { return 200 regex; }
                """);
        // The longest prefix is the plain /static/js/, so the regex still runs.
        assertThat(chosen(r, "/static/js/app.js")).isEqualTo("regex");
        assertThat(chosen(r, "/static/css/app.js")).isEqualTo("static");
    }

    @Test
    void regexesAreCaseSensitiveWithTildeAndPrefixesAlwaysAre() {
        LocationRouter r = router("""
                location /Docs/ { return 200 docs; }
                location ~ \\.PNG$ { return 200 png; }
                """);
        assertThat(chosen(r, "/Docs/a.PNG")).isEqualTo("png");
        assertThat(chosen(r, "/Docs/a.png")).isEqualTo("docs");
        assertThat(chosen(r, "/docs/a.png")).isEqualTo("none");
    }

    @Test
    void regexesMatchAnywhereInThePathUnlessAnchored() {
        LocationRouter r = router("location ~ admin { return 200 admin; }");
        assertThat(chosen(r, "/x/administrator/y")).isEqualTo("admin");
    }

    @Test
    void regexesSeeTheNormalisedPathWithoutTheQuery() {
        LocationRouter r = router("""
                location ~ ^/a/b$ { return 200 ab; }
                location ~ \\?  { return 200 query; }
                """);
        assertThat(chosen(r, "/a/./x/..//b?y=1")).isEqualTo("ab");
        assertThat(chosen(r, "/c?q")).isEqualTo("none");
    }

    @Test
    void nestedLocationsRefineTheChosenPrefix() {
        LocationRouter r = router("""
                location /app/ {
                    return 200 app;
                    location /app/static/ { return 200 static; }
                    location = /app/health { return 200 health; }
                    location ~ \\.json$ { return 200 json; }
                }
                location ~ \\.txt$ { return 200 txt; }
                """);
        assertThat(chosen(r, "/app/x")).isEqualTo("app");
        assertThat(chosen(r, "/app/static/x")).isEqualTo("static");
        assertThat(chosen(r, "/app/health")).isEqualTo("health");
        assertThat(chosen(r, "/app/x.json")).isEqualTo("json");
        // A nested regex wins before the outer level's regexes are tried.
        assertThat(chosen(r, "/app/static/x.json")).isEqualTo("json");
        // A nested prefix does not stop the outer regexes, as in ngx_http_core_find_location.
        assertThat(chosen(r, "/app/static/x.txt")).isEqualTo("txt");
        assertThat(chosen(r, "/app/x.txt")).isEqualTo("txt");
    }

    @Test
    void caretTildeInsideANestedLevelSkipsOnlyThatLevelsRegexes() {
        LocationRouter r = router("""
                location /app/ {
                    location ^~ /app/static/ { return 200 static; }
                    location ~ \\.css$ { return 200 inner-css; }
                    return 200 app;
                }
                location ~ \\.css$ { return 200 outer-css; }
                """);
        assertThat(chosen(r, "/app/static/a.css")).isEqualTo("outer-css");
        assertThat(chosen(r, "/app/other/a.css")).isEqualTo("inner-css");
    }

    @Test
    void aMatchingRegexIsRefinedByItsOwnNestedLocations() {
        LocationRouter r = router("""
                location / { return 200 root; }
                location ~ ^/img/ {
                    return 200 img;
                    location ~ \\.svg$ { return 200 svg; }
                }
                """);
        assertThat(chosen(r, "/img/a.png")).isEqualTo("img");
        assertThat(chosen(r, "/img/a.svg")).isEqualTo("svg");
    }

    @Test
    void foundCarriesTheChainOfEnclosingLocations() {
        LocationRouter r = router("""
                location /a/ {
                    return 200 a;
                    location /a/b/ { return 200 b; }
                }
                """);
        LocationRoute.Found found = (LocationRoute.Found) r.find("/a/b/c");
        assertThat(found.path()).extracting(l -> l.match().pattern()).containsExactly("/a/", "/a/b/");
        assertThat(found.path().get(1)).isSameAs(found.location());
    }

    @Test
    void namedLocationsAreNeverMatchedByPath() {
        LocationRouter r = router("""
                location @fallback { return 200 named; }
                location ~ fallback { return 200 regex; }
                """);
        assertThat(chosen(r, "/@fallback")).isEqualTo("regex");
        assertThat(chosen(router("location @fallback { return 200 named; }"), "/@fallback")).isEqualTo("none");
        assertThat(r.named("fallback")).isPresent();
        assertThat(r.named("other")).isEmpty();
    }

    @Test
    void withoutLocationsNothingIsFound() {
        assertThat(chosen(router(""), "/")).isEqualTo("none");
    }

    @Test
    void aPathAboveTheRootIsABadRequest() {
        assertThat(NGINX_DOC.route("/images/../../etc/passwd")).isInstanceOf(LocationRouter.Routed.BadRequest.class);
    }

    @Test
    void lookupsReturnSharedResultsInsteadOfAllocating() {
        assertThat(NGINX_DOC.find("/documents/a")).isSameAs(NGINX_DOC.find("/documents/b"));
        assertThat(NGINX_DOC.find("/1.gif")).isSameAs(NGINX_DOC.find("/2.gif"));
    }

    private static String redirected(LocationRouter router, String path) {
        LocationRoute r = router.find(path);
        assertThat(r).as(path).isInstanceOf(LocationRoute.Redirect.class);
        return ((LocationRoute.Redirect) r).target();
    }

    @Test
    void aPathMissingOnlyTheTrailingSlashOfAProxiedLocationIsRedirected() {
        LocationRouter r = router("""
                location / { return 200 root; }
                location /app/ { proxy_pass http://127.0.0.1:8080; }
                location /static/ { return 200 static; }
                location ~ app { return 200 regex; }
                """);
        assertThat(redirected(r, "/app")).isEqualTo("/app/");
        // Only locations with proxy_pass redirect; the regex is not even tried for /app.
        assertThat(chosen(r, "/static")).isEqualTo("root");
        assertThat(chosen(r, "/apps")).isEqualTo("regex");
        assertThat(chosen(r, "/app/x")).isEqualTo("regex");
        assertThat(((LocationRoute.Found) r.find("/app/")).location().match().pattern()).isEqualTo("app");
    }

    @Test
    void aLocationNamedLikeThePathPreventsTheRedirect() {
        LocationRouter prefix = router("""
                location /app { return 200 app; }
                location /app/ { proxy_pass http://127.0.0.1:8080; }
                """);
        assertThat(chosen(prefix, "/app")).isEqualTo("app");
        LocationRouter exact = router("""
                location = /app { return 200 exact; }
                location /app/ { proxy_pass http://127.0.0.1:8080; }
                """);
        assertThat(chosen(exact, "/app")).isEqualTo("exact");
    }

    @Test
    void anExactProxiedLocationEndingWithSlashRedirectsToo() {
        LocationRouter r = router("location = /api/ { proxy_pass http://127.0.0.1:8080; }");
        assertThat(redirected(r, "/api")).isEqualTo("/api/");
        assertThat(chosen(r, "/api/x")).isEqualTo("none");
    }

    @Test
    void aNestedRedirectIsFinalUnderAPrefixButAPlainMatchUnderARegex() {
        LocationRouter underPrefix = router("""
                location /a/ {
                    return 200 a;
                    location /a/b/ { proxy_pass http://127.0.0.1:8080; }
                }
                location ~ b { return 200 regex; }
                """);
        assertThat(redirected(underPrefix, "/a/b")).isEqualTo("/a/b/");
        LocationRouter underRegex = router("""
                location ~ /r/ {
                    return 200 r;
                    location /r/b/ { proxy_pass http://127.0.0.1:8080; }
                }
                """);
        LocationRoute route = underRegex.find("/r/b");
        assertThat(route).isInstanceOf(LocationRoute.Found.class);
        assertThat(((LocationRoute.Found) route).location().match().pattern()).isEqualTo("/r/b/");
    }

    @Test
    void aSearchKeepsTheMatchesOfTheRegexLocationsItEndsInOutermostFirst() {
        LocationRouter r = router("""
                location /p/ {
                    return 200 p;
                    location ~ ^/p/(?<pi>\\w+)/(\\d+)$ {
                        return 200 outer;
                        location ~ (\\d)$ { return 200 inner; }
                    }
                }
                location ~ /r/ { return 200 r; location /r/b/ { return 200 prefix-in-regex; } }
                """);
        RegexMatches matches = new RegexMatches();
        assertThat(r.find("/p/ab/34", matches)).isSameAs(r.find("/p/ab/34"));
        assertThat(matches.count()).isEqualTo(2);
        assertThat(matches.get(0).group("pi")).isEqualTo("ab");
        assertThat(matches.get(0).group(2)).isEqualTo("34");
        assertThat(matches.get(1).group(1)).isEqualTo("4");

        r.find("/r/b/x", matches);
        assertThat(matches.count()).as("a prefix location inside a regex one").isEqualTo(1);
        assertThat(matches.get(0).group()).isEqualTo("/r/");

        r.find("/p/x", matches);
        assertThat(matches.count()).as("a prefix answer forgets the previous search's").isZero();
        assertThatThrownBy(() -> matches.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aRegexTriedInAnInnerLevelThatMissedLeavesNoMatch() {
        LocationRouter r = router("""
                location /a/ { return 200 a; location ~ ^/a/(\\d+)$ { return 200 digits; } }
                location ~ ^/(a)/(b) { return 200 ab; }
                """);
        RegexMatches matches = new RegexMatches();
        assertThat(chosen(r, "/a/b")).isEqualTo("ab");
        r.find("/a/b", matches);
        assertThat(matches.count()).isEqualTo(1);
        assertThat(matches.get(0).group(2)).isEqualTo("b");
    }

    @Test
    void aServerHasRegexesWhenAnyLocationNestedOrNotIsOne() {
        assertThat(router("location / { return 200 a; }").hasRegexes()).isFalse();
        assertThat(router("location / { return 200 a; location ~ x { return 200 x; } }").hasRegexes()).isTrue();
        assertThat(NGINX_DOC.hasRegexes()).isTrue();
    }

    @Test
    void nestingThatNginxRefusesIsRejectedAllAtOnce() {
        List<Location> locations = Configs.server("""
                location /a/ {
                    location /b/ { return 200 outside; }
                    location ~ \\.x$ { return 200 regex-is-fine; }
                    location @inner { return 200 named; }
                }
                location = /e { location /e { return 200 in-exact; } }
                location ~ ^/r/ { location /r/ { return 200 outside-regex-name; } }
                """).locations();
        assertThatThrownBy(() -> new LocationRouter(locations))
                .hasMessageContaining("location \"/b/\" is outside location \"/a/\"")
                .hasMessageContaining("named location \"@inner\" can be on the server level only")
                .hasMessageContaining("location \"/e\" cannot be inside the exact location \"/e\"")
                .hasMessageContaining("location \"/r/\" is outside location \"^/r/\"")
                .message().doesNotContain("\\.x$");
    }

    @Test
    void followsTheDocumentationExampleOfAnExactLocationBesideAProxiedPrefix() {
        // nginx docs: "location /user/ { proxy_pass ...; } location = /user { proxy_pass ...; }" --
        // /user goes to the exact location instead of being redirected.
        LocationRouter r = router("""
                location /user/ { proxy_pass http://user.example.com; }
                location = /user { proxy_pass http://login.example.com; }
                """);
        assertThat(((LocationRoute.Found) r.find("/user")).location().match().modifier())
                .isEqualTo(LocationMatch.Modifier.EXACT);
        assertThat(((LocationRoute.Found) r.find("/user/42")).location().match().pattern()).isEqualTo("/user/");
        LocationRouter withoutExact = router("location /user/ { proxy_pass http://user.example.com; }");
        assertThat(redirected(withoutExact, "/user")).isEqualTo("/user/");
    }
}
