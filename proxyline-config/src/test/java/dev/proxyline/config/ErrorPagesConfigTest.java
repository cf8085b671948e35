package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

/** error_page, proxy_intercept_errors, recursive_error_pages, internal and named locations, as nginx reads them. */
class ErrorPagesConfigTest {
    @Test
    void eachCodeOfALineGetsItsPageWithTheStatusAfterTheEqualsSign() {
        HttpConfig h = http("""
                server {
                    error_page 404 /404.html;
                    error_page 500 502 503 504 /50x.html?from=error;
                    error_page 403 = @fallback;
                    error_page 410 =200 /gone;
                    error_page 301 =308 $scheme://example.test$uri;
                    error_page 495 496 497 /tls;
                    error_page 494 =413 /big;
                }""");
        ErrorPages pages = h.servers().get(0).settings().errorPages();
        assertThat(pages.pages()).extracting(ErrorPages.Page::status, ErrorPages.Page::overwrite, ErrorPages.Page::uri)
                .containsExactly(
                        tuple(404, ErrorPages.Page.KEEP, "/404.html"),
                        tuple(500, ErrorPages.Page.KEEP, "/50x.html?from=error"),
                        tuple(502, ErrorPages.Page.KEEP, "/50x.html?from=error"),
                        tuple(503, ErrorPages.Page.KEEP, "/50x.html?from=error"),
                        tuple(504, ErrorPages.Page.KEEP, "/50x.html?from=error"),
                        tuple(403, ErrorPages.Page.REDIRECTED, "@fallback"),
                        tuple(410, 200, "/gone"),
                        tuple(301, 308, "$scheme://example.test$uri"),
                        // nginx's own codes that are no HTTP status go out as 400 unless = says otherwise
                        tuple(495, 400, "/tls"), tuple(496, 400, "/tls"), tuple(497, 400, "/tls"),
                        tuple(494, 413, "/big"));
        assertThat(pages.pages().get(1).position().line()).isEqualTo(4);
        assertThat(pages.interceptErrors()).isFalse();
        assertThat(pages.recursive()).isFalse();
        assertThat(pages.internal()).isFalse();
    }

    @Test
    void aLevelWithItsOwnErrorPagesReplacesTheOuterOnesAndOneWithoutInheritsThem() {
        HttpConfig h = http("""
                error_page 404 /http404;
                proxy_intercept_errors on;
                server {
                    location /inherits { }
                    location /own { error_page 500 /own500; }
                }
                server {
                    error_page 502 /server502;
                    recursive_error_pages on;
                    location /inherits { proxy_intercept_errors off; }
                    location /own { error_page 404 /own404; error_page 403 /own403; }
                }""");
        HttpServer first = h.servers().get(0);
        assertThat(first.settings().errorPages().pages()).extracting(ErrorPages.Page::uri).containsExactly("/http404");
        assertThat(first.locations().get(0).settings().errorPages().pages()).extracting(ErrorPages.Page::uri)
                .containsExactly("/http404");
        assertThat(first.locations().get(0).settings().errorPages().interceptErrors()).isTrue();
        assertThat(first.locations().get(1).settings().errorPages().pages()).extracting(ErrorPages.Page::uri)
                .containsExactly("/own500");
        HttpServer second = h.servers().get(1);
        assertThat(second.locations().get(0).settings().errorPages().pages()).extracting(ErrorPages.Page::uri)
                .containsExactly("/server502");
        assertThat(second.locations().get(0).settings().errorPages().interceptErrors()).isFalse();
        assertThat(second.locations().get(0).settings().errorPages().recursive()).isTrue();
        assertThat(second.locations().get(1).settings().errorPages().pages()).extracting(ErrorPages.Page::uri)
                .containsExactly("/own404", "/own403");
    }

    @Test
    void internalBelongsToItsLocationOnly() {
        HttpConfig h = http("""
                server {
                    location /errors/ { internal; location /errors/nested/ { } }
                    location /open/ { }
                }""");
        Location errors = h.servers().get(0).locations().get(0);
        assertThat(errors.settings().errorPages().internal()).isTrue();
        assertThat(errors.locations().get(0).settings().errorPages().internal()).isFalse();
        assertThat(h.servers().get(0).locations().get(1).settings().errorPages().internal()).isFalse();
        assertThat(h.servers().get(0).settings().errorPages()).isEqualTo(ErrorPages.NONE);
    }

    @Test
    void namedLocationsAreNamedOnlyWithoutAModifierAsInNginx() {
        HttpConfig h = http("""
                server {
                    location @fallback { proxy_pass http://127.0.0.1:8080; }
                    location = @exact { return 200; }
                }""");
        assertThat(h.servers().get(0).locations()).extracting(l -> l.match().modifier(), l -> l.match().pattern())
                .containsExactly(tuple(LocationMatch.Modifier.NAMED, "fallback"),
                        tuple(LocationMatch.Modifier.EXACT, "@exact"));
    }

    @Test
    void badErrorPagesAreReportedWithTheirPositions() {
        assertThat(errors("""
                http {
                    error_page 404 =abc /x;
                    error_page = /x;
                    error_page 299 /x;
                    error_page 499 600 abc /x;
                    error_page 404 "";
                    proxy_intercept_errors maybe;
                    recursive_error_pages yes;
                    internal;
                    server {
                        if ($uri) { error_page 404 /x; }
                        location / { internal on; error_page 404; }
                    }
                }
                """)).containsExactly(
                "test.conf:2:20: invalid value \"=abc\" in \"error_page\" (expected = or =CODE)",
                "test.conf:3:16: invalid value \"=\" in \"error_page\" (expected a status code before it)",
                "test.conf:4:16: value \"299\" must be between 300 and 599",
                "test.conf:5:16: invalid value \"499\" in \"error_page\"",
                "test.conf:5:20: value \"600\" must be between 300 and 599",
                "test.conf:5:24: invalid value \"abc\" in \"error_page\"",
                "test.conf:6:20: empty URI in \"error_page\"",
                "test.conf:7:28: invalid value \"maybe\" in \"proxy_intercept_errors\" directive, it must be \"on\" or \"off\"",
                "test.conf:8:27: invalid value \"yes\" in \"recursive_error_pages\" directive, it must be \"on\" or \"off\"",
                "test.conf:9:5: \"internal\" directive is not allowed in http (allowed in: location)",
                "test.conf:11:21: \"error_page\" inside \"if\" is not supported by proxyline; only return, rewrite, set, "
                        + "break and rewrite_log",
                "test.conf:12:22: invalid number of arguments in \"internal\" directive (expected 0, got 1)",
                "test.conf:12:35: invalid number of arguments in \"error_page\" directive (expected at least 2, got 1)");
    }
}
