package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ErrorPages;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A location's {@code error_page}s compiled, with {@code proxy_intercept_errors}, {@code recursive_error_pages} and
 * {@code internal}: nginx's rules of which answer goes to which page, and where the page sends the request. Pure
 * policy; the request handler does the redirect.
 */
final class ErrorPagePlan {
    /** No {@code error_page}, no {@code internal}: what a request of such a location checks is one field. */
    static final ErrorPagePlan NONE = new ErrorPagePlan(new Page[0], false, false, false);

    private static final int FIRST = 300;
    private static final int LAST = 599;

    /** The page of each status, by {@code status - 300}; empty when the location has none. */
    private final Page[] byStatus;
    private final boolean interceptErrors;
    private final boolean recursive;
    private final boolean internal;

    private ErrorPagePlan(Page[] byStatus, boolean interceptErrors, boolean recursive, boolean internal) {
        this.byStatus = byStatus;
        this.interceptErrors = interceptErrors;
        this.recursive = recursive;
        this.internal = internal;
    }

    /** The plan of {@code config}; a URI that names an unknown variable is added to {@code problems}. */
    static ErrorPagePlan of(ErrorPages config, VariableTable variables, List<String> problems) {
        if (config.equals(ErrorPages.NONE)) return NONE;
        Page[] byStatus = new Page[config.pages().isEmpty() ? 0 : LAST - FIRST + 1];
        for (ErrorPages.Page page : config.pages()) {
            // As nginx: the first line that names a status is the one it looks up.
            if (byStatus[page.status() - FIRST] != null) continue;
            try {
                byStatus[page.status() - FIRST] = new Page(page.overwrite(), Template.compile(page.uri(), variables));
            } catch (TemplateException e) {
                String problem = page.position() + ": error_page: " + e.getMessage();
                if (!problems.contains(problem)) problems.add(problem); // inherited pages are compiled per location
            }
        }
        return new ErrorPagePlan(byStatus, config.interceptErrors(), config.recursive(), config.internal());
    }

    /** The location has at least one {@code error_page}. */
    boolean hasPages() {
        return byStatus.length > 0;
    }

    /** {@code internal}: a request that found the location by its own URI gets 404. */
    boolean internal() {
        return internal;
    }

    /** {@code recursive_error_pages}: the error of a page's request may go to a page again. */
    boolean recursive() {
        return recursive;
    }

    /** {@code proxy_intercept_errors on} and a page for the upstream's {@code status} (nginx checks only 300 and up). */
    boolean intercepts(int status) {
        return interceptErrors && page(status) != null;
    }

    /** The page for {@code status}, or null. */
    Page page(int status) {
        return status < FIRST || status > LAST || byStatus.length == 0 ? null : byStatus[status - FIRST];
    }

    /**
     * Whether nginx sends an answer through {@code error_page} (its "special response"): an error without a text of
     * its own, or a redirect with its URL. {@code return 404 "text"} and {@code return 200} go out as they are.
     */
    static boolean special(int status, boolean withText) {
        return withText ? Status.isRedirect(status) : status >= 400;
    }

    /**
     * The status the client gets for the answer of a page's request, where nginx replaces the answer's own: the
     * original status without {@code =}, the one after {@code =}; 0 (the answer's own) for {@code =} alone. nginx's
     * internal statuses that no client may see (494 to 497: a head too large, the certificate refusals of
     * {@code ssl_verify_client}, plain HTTP to an HTTPS port) go out as 400, as its error_page reads them.
     */
    static int sentStatus(int original, int overwrite) {
        if (overwrite != ErrorPages.Page.KEEP) return overwrite;
        return original >= 494 && original <= 497 ? 400 : original;
    }

    /** {@code error_page ... [=[RESPONSE]] URI} for one status. */
    record Page(int overwrite, Template uri) {
        Page {
            Objects.requireNonNull(uri, "uri");
        }

        /** Where the page sends a request now: its URI, rendered for the request when it has variables. */
        Target target(Supplier<SessionSnapshot> now) {
            return Target.of(uri.value(now), overwrite);
        }
    }

    /** Where a page sends the request. */
    sealed interface Target permits Internal, Named, Redirect {
        /** nginx's reading of a page's URI: {@code /} a path, {@code @} a named location, anything else a URL. */
        static Target of(String uri, int overwrite) {
            if (uri.startsWith("/")) {
                int q = uri.indexOf('?');
                return q < 0 ? new Internal(uri, "") : new Internal(uri.substring(0, q), uri.substring(q + 1));
            }
            if (uri.startsWith("@")) return new Named(uri.substring(1));
            return new Redirect(Status.isRedirect(overwrite) ? overwrite : 302, uri);
        }
    }

    /**
     * An internal redirect: the request is routed again with this path and only these arguments (its own are
     * replaced, as nginx's internal redirect does); a method other than GET and HEAD becomes GET.
     */
    record Internal(String path, String args) implements Target {
        Internal {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(args, "args");
        }
    }

    /** {@code @name}: that location directly, the URI unchanged. */
    record Named(String name) implements Target {
        Named {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A URL: answered at once with {@code status} and {@code Location}. */
    record Redirect(int status, String url) implements Target {
        Redirect {
            Objects.requireNonNull(url, "url");
        }
    }
}
