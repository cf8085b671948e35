package dev.proxyline.server.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriPathTest {
    private static String normal(String raw) {
        UriPath.Result r = UriPath.normalize(raw);
        assertThat(r).as(raw).isInstanceOf(UriPath.Normal.class);
        return ((UriPath.Normal) r).path();
    }

    @Test
    void aNormalPathIsReturnedAsTheSameString() {
        String raw = "/documents/document.html";
        assertThat(normal(raw)).isSameAs(raw);
    }

    @ParameterizedTest
    @CsvSource({
            "/, /",
            "/a/b, /a/b",
            "/a/b/, /a/b/",
            "/a/b?x=/../.., /a/b",
            "/a#frag, /a",
            "//a///b//, /a/b/",
            "/a/./b, /a/b",
            "/a/., /a/",
            "/., /",
            "/a/../b, /b",
            "/a/b/.., /a/",
            "/a/.., /",
            "/a/b/../../c, /c",
            "/.../a, /.../a",
            "/..a/b.., /..a/b..",
            "/a/.b, /a/.b",
            "/%7Euser/%41%62c, /~user/Abc",
            "/a%2fb, /a%2Fb",
            "/a%2Fb, /a%2Fb",
            "/a%20b, /a%20b",
            "/a%2e%2E/b, /a../b",
            "/a/%2e%2e/b, /b",
            "/a/%2E/b, /a/b",
            "/%c3%a9, /%C3%A9",
    })
    void normalisesLikeNginxWithMergeSlashes(String raw, String expected) {
        assertThat(normal(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "/.., above the root",
            "/../a, above the root",
            "/a/../.., above the root",
            "/a/../../b, above the root",
            "/%2e%2e/etc/passwd, above the root",
            "//..//a, above the root",
            "/a%, malformed",
            "/a%2, malformed",
            "/a%zz, malformed",
            "/a%0g, malformed",
            "/a%00b, NUL",
            "a/b, does not start",
            "'', does not start",
            "?q, does not start",
            "*, does not start",
    })
    void rejectsPathsThatNginxAnswersWith400(String raw, String reason) {
        UriPath.Result r = UriPath.normalize(raw);
        assertThat(r).isInstanceOf(UriPath.BadRequest.class);
        assertThat(((UriPath.BadRequest) r).reason()).contains(reason);
    }
}
