package dev.proxyline.server.http.proxy;

import dev.proxyline.config.Location;
import java.util.Optional;

/**
 * nginx's {@code error_page} at work: a special answer goes to its location's page instead, as a redirect to a URL, an
 * internal redirect to a path, or a named location; the request then runs through the server's phases again. Which
 * answer goes where is {@link ErrorPagePlan}'s; this sends the request there. One per connection, made for the first
 * answer in a location with pages.
 */
final class ErrorPageRedirect {
    private final RequestHandler cycle;
    private final OwnAnswers answers;

    ErrorPageRedirect(RequestHandler cycle, OwnAnswers answers) {
        this.cycle = cycle;
        this.answers = answers;
    }

    /**
     * Sends the special answer {@code status} to the location's page for it, unless the request went to a page
     * already ({@code recursive_error_pages off}), its URI changed too often, or part of its body went upstream and
     * the rest is still coming (it cannot be sent again). False to answer it plainly.
     *
     * @param redirectTo the Location of a redirect, which the page's answer keeps
     */
    boolean redirect(int status, Optional<String> redirectTo) {
        RequestFacts facts = cycle.facts();
        ServerPlan server = cycle.server();
        ErrorPagePlan pages = cycle.location().errorPages();
        if (server == null || facts.errorPageUsed || facts.uriChanges > RequestHandler.MAX_URI_CHANGES) return false;
        if (!pages.recursive()) facts.errorPageUsed = true; // as nginx: by the first error here, page or not
        ErrorPagePlan.Page page = pages.page(status);
        if (page == null || (cycle.bodyReceived() > 0 && !cycle.requestDone())) return false;
        ErrorPagePlan.Target target = page.target(() -> facts.snapshot(cycle.runtime().clock().millis()));
        if (target instanceof ErrorPagePlan.Redirect redirect) {
            answers.respond(redirect.status(), Optional.of(redirect.url()));
            return true;
        }
        LocationPlan named = null;
        if (target instanceof ErrorPagePlan.Named name) {
            Optional<Location> found = server.router().named(name.name());
            if (found.isEmpty()) {
                answers.count(HttpCounters.Reason.NO_NAMED_LOCATION, "could not find named location \"@" + name.name()
                        + "\"");
                answers.answer(500, Optional.empty());
                return true;
            }
            named = server.plan(found.get());
        }
        if (++facts.uriChanges > RequestHandler.MAX_URI_CHANGES) {
            answers.reject(500, HttpCounters.Reason.REWRITE_CYCLE, "rewrite or internal redirection cycle while "
                    + "internally redirecting to \"" + page.uri() + "\"");
            return true;
        }
        ErrorPageRequest.redirect(facts, cycle.request(), target, ErrorPagePlan.sentStatus(status, page.overwrite()),
                redirectTo, cycle.pageBodyLength());
        cycle.reroute(server, named);
        return true;
    }
}
