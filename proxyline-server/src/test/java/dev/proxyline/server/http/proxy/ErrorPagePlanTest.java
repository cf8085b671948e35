package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ErrorPages;
import dev.proxyline.config.Position;
import dev.proxyline.server.variables.Exchanges;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** nginx's rules of which answer goes to which error_page, and where the page sends the request. */
class ErrorPagePlanTest {
    private static final Position AT = new Position("test.conf", 3, 5);

    private static ErrorPagePlan plan(ErrorPages config) {
        List<String> problems = new ArrayList<>();
        ErrorPagePlan plan = ErrorPagePlan.of(config, Exchanges.table(), problems);
        assertThat(problems).isEmpty();
        return plan;
    }

    private static ErrorPages.Page page(int status, int overwrite, String uri) {
        return new ErrorPages.Page(AT, status, overwrite, uri);
    }

    @Test
    void nothingConfiguredIsTheSharedEmptyPlan() {
        ErrorPagePlan none = plan(ErrorPages.NONE);
        assertThat(none).isSameAs(ErrorPagePlan.NONE);
        assertThat(none.hasPages()).isFalse();
        assertThat(none.page(404)).isNull();
        assertThat(none.intercepts(404)).isFalse();
        assertThat(none.internal()).isFalse();
    }

    @Test
    void theFirstLineThatNamesAStatusIsItsPage() {
        ErrorPagePlan plan = plan(new ErrorPages(List.of(page(404, -1, "/first"), page(404, 200, "/second"),
                page(500, -1, "/5xx")), false, false, false));
        assertThat(plan.hasPages()).isTrue();
        assertThat(plan.page(404).uri().constantValue()).isEqualTo("/first");
        assertThat(plan.page(500).uri().constantValue()).isEqualTo("/5xx");
        assertThat(plan.page(502)).isNull();
        assertThat(plan.page(200)).isNull();
        assertThat(plan.page(999)).isNull();
    }

    @Test
    void interceptedAreOnlyTheStatusesWithAPageAndOnlyWhenOn() {
        List<ErrorPages.Page> pages = List.of(page(404, -1, "/x"));
        assertThat(plan(new ErrorPages(pages, true, false, false)).intercepts(404)).isTrue();
        assertThat(plan(new ErrorPages(pages, true, false, false)).intercepts(500)).isFalse();
        assertThat(plan(new ErrorPages(pages, false, false, false)).intercepts(404)).isFalse();
        assertThat(plan(new ErrorPages(List.of(), false, false, true)).internal()).isTrue();
    }

    @Test
    void specialAnswersAreErrorsWithoutTextAndRedirectsWithTheirUrl() {
        assertThat(ErrorPagePlan.special(404, false)).isTrue();
        assertThat(ErrorPagePlan.special(502, false)).isTrue();
        assertThat(ErrorPagePlan.special(404, true)).as("return 404 \"text\"").isFalse();
        assertThat(ErrorPagePlan.special(301, true)).as("return 301 URL").isTrue();
        assertThat(ErrorPagePlan.special(200, false)).isFalse();
        assertThat(ErrorPagePlan.special(200, true)).isFalse();
        assertThat(ErrorPagePlan.special(300, true)).isFalse();
    }

    @Test
    void theStatusSentIsTheOriginalOneTheGivenOneOrThePagesOwn() {
        assertThat(ErrorPagePlan.sentStatus(404, ErrorPages.Page.KEEP)).isEqualTo(404);
        assertThat(ErrorPagePlan.sentStatus(404, 200)).isEqualTo(200);
        assertThat(ErrorPagePlan.sentStatus(404, ErrorPages.Page.REDIRECTED)).isZero();
    }

    @Test
    void nginxsInternalCertificateStatusesGoOutAs400UnlessThePageSaysOtherwise() {
        assertThat(ErrorPagePlan.sentStatus(495, ErrorPages.Page.KEEP)).isEqualTo(400);
        assertThat(ErrorPagePlan.sentStatus(496, ErrorPages.Page.KEEP)).isEqualTo(400);
        assertThat(ErrorPagePlan.sentStatus(496, 403)).isEqualTo(403);
        assertThat(ErrorPagePlan.sentStatus(498, ErrorPages.Page.KEEP)).isEqualTo(498);
    }

    @Test
    void aPathIsAnInternalRedirectWithOnlyItsOwnArguments() {
        assertThat(ErrorPagePlan.Target.of("/errors/404", -1)).isEqualTo(new ErrorPagePlan.Internal("/errors/404", ""));
        assertThat(ErrorPagePlan.Target.of("/e?from=x&y", -1))
                .isEqualTo(new ErrorPagePlan.Internal("/e", "from=x&y"));
        assertThat(ErrorPagePlan.Target.of("/e?", 200)).isEqualTo(new ErrorPagePlan.Internal("/e", ""));
    }

    @Test
    void anAtSignNamesALocation() {
        assertThat(ErrorPagePlan.Target.of("@fallback", 0)).isEqualTo(new ErrorPagePlan.Named("fallback"));
    }

    @Test
    void anythingElseIsARedirectWith302UnlessARedirectStatusIsGiven() {
        assertThat(ErrorPagePlan.Target.of("https://example.test/x", -1))
                .isEqualTo(new ErrorPagePlan.Redirect(302, "https://example.test/x"));
        assertThat(ErrorPagePlan.Target.of("https://example.test/x", 200))
                .isEqualTo(new ErrorPagePlan.Redirect(302, "https://example.test/x"));
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            assertThat(ErrorPagePlan.Target.of("x.html", status)).isEqualTo(new ErrorPagePlan.Redirect(status, "x.html"));
        }
    }

    @Test
    void aUriWithVariablesIsRenderedForTheRequestAndThenRead() {
        ErrorPagePlan plan = plan(new ErrorPages(List.of(page(404, -1, "/errors$uri?from=$args"),
                page(403, 301, "$scheme://example.test$uri")), false, false, false));
        assertThat(plan.page(404).target(() -> Exchanges.get().target("/a/b?q=1").snapshot()))
                .isEqualTo(new ErrorPagePlan.Internal("/errors/a/b", "from=q=1"));
        assertThat(plan.page(403).target(() -> Exchanges.get().target("/a").snapshot()))
                .isEqualTo(new ErrorPagePlan.Redirect(301, "http://example.test/a"));
    }

    @Test
    void anUnknownVariableIsAProblemAtThePagesPosition() {
        List<String> problems = new ArrayList<>();
        ErrorPages config = new ErrorPages(List.of(page(404, -1, "/e/$nonesuch")), false, false, false);
        ErrorPagePlan.of(config, Exchanges.table(), problems);
        ErrorPagePlan.of(config, Exchanges.table(), problems); // inherited by a second location: reported once
        assertThat(problems).singleElement().asString().startsWith("test.conf:3:5: error_page: ");
    }
}
