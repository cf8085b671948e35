package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.auth.AccessPhase;
import dev.proxyline.server.http.realip.AddressText;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The answers proxyline makes itself instead of an upstream: refusals (counted, and logged naming the client), its
 * errors, {@code return}'s texts and redirects, and the answer of an {@code error_page}'s request. An answer that nginx
 * makes a special response goes to the location's page first ({@link ErrorPageRedirect}). One per connection, made
 * for its first own answer; the request's state is its handler's, which writes the response.
 */
final class OwnAnswers {
    private final RequestHandler cycle;
    private ErrorPageRedirect pages; // made for the connection's first answer in a location with pages

    OwnAnswers(RequestHandler cycle) {
        this.cycle = cycle;
    }

    /** A refused request: counted and logged, answered, and its connection not kept (as nginx's). */
    void reject(int code, HttpCounters.Reason reason, String message) {
        count(reason, message);
        cycle.closeAfterResponse();
        answer(code, Optional.empty());
    }

    /**
     * A refusal that nginx answers {@code code} with a text of its own ({@code body}), unless an {@code error_page}
     * names its internal status ({@code pageStatus}: 494 of a head too large, 495 and 496 of {@code ssl_verify_client};
     * 0 for none).
     */
    void reject(int pageStatus, int code, HttpCounters.Reason reason, String message, String body) {
        count(reason, message);
        cycle.closeAfterResponse();
        boolean paged = pageStatus != 0 && cycle.location().errorPages().hasPages()
                && pages().redirect(pageStatus, Optional.empty());
        if (!paged) respond(code, Optional.of(body));
    }

    /**
     * {@code allow}/{@code deny} refused the client: 403. Unlike the other refusals the connection stays open for the
     * next request, as nginx keeps it (a body not read yet still closes it).
     */
    void forbid() {
        count(HttpCounters.Reason.FORBIDDEN, "access forbidden by rule");
        answer(403, Optional.empty());
    }

    /**
     * The access phase's verdict other than a pass: 401 with the realm (which an {@code error_page}'s answer keeps
     * too), 403, or 500 of an unreadable user file.
     */
    void notAdmitted(AccessPhase.Verdict verdict) {
        RequestFacts facts = cycle.facts();
        int code;
        Optional<String> log;
        if (verdict instanceof AccessPhase.Challenge challenge) {
            facts.wwwAuthenticate = challenge.header();
            code = 401;
            log = Optional.of(challenge.log());
        } else {
            AccessPhase.Refuse refuse = (AccessPhase.Refuse) verdict;
            code = refuse.status();
            log = refuse.log();
        }
        HttpCounters.Reason reason = code == 401 ? HttpCounters.Reason.UNAUTHORIZED
                : code == 403 ? HttpCounters.Reason.FORBIDDEN : HttpCounters.Reason.USER_FILE_UNREADABLE;
        if (log.isPresent()) {
            count(reason, log.get());
        } else {
            cycle.runtime().counters().count(reason); // satisfy any's 403, which nginx does not log
        }
        answer(code, Optional.empty());
    }

    /** Counts {@code reason} and logs (rate-limited) one line naming the client, the peer and the request. */
    void count(HttpCounters.Reason reason, String message) {
        RequestFacts facts = cycle.facts();
        cycle.runtime().counters().count(reason);
        cycle.runtime().failures().refused(message + ", client: " + AddressText.addr(facts.client.remote())
                + ", peer: " + AddressText.addr(cycle.connection().peer()) + ", server: " + facts.serverName
                + ", request: \"" + facts.method + " " + facts.requestUri + " " + facts.protocol + "\"");
    }

    /**
     * An own answer. One that nginx makes a special response (an error without a text, a redirect) goes to the
     * location's {@code error_page} for its status, if any; another, made for a page's request, gets the status the
     * page puts on it.
     *
     * @param textOrUrl a byte string (one char per byte), as templates render
     */
    void answer(int code, Optional<String> textOrUrl) {
        RequestFacts facts = cycle.facts();
        LocationPlan location = cycle.location();
        if (facts.errStatus != 0 || location.errorPages().hasPages()) {
            if (ErrorPagePlan.special(code, textOrUrl.isPresent())) {
                if (location.errorPages().hasPages() && pages().redirect(code, textOrUrl)) return;
            } else if (facts.errStatus != 0) {
                // A page's own answer, as nginx's: its text under the page's status, and a redirect's Location kept.
                send(facts.errStatus, textOrUrl.orElse(""), facts.errLocation);
                return;
            }
        }
        respond(code, textOrUrl);
    }

    /**
     * The answer as it is, no page looked for: a redirect with its Location, an error with its text or the status's
     * short body.
     *
     * @param textOrUrl a byte string (one char per byte), as templates render
     */
    void respond(int code, Optional<String> textOrUrl) {
        if (Status.isRedirect(code) && textOrUrl.isPresent()) {
            send(code, Status.body(code), textOrUrl.get());
        } else {
            send(code, textOrUrl.orElse(code >= 400 ? Status.body(code) : ""), null);
        }
    }

    private ErrorPageRedirect pages() {
        if (pages == null) pages = new ErrorPageRedirect(cycle, this);
        return pages;
    }

    /** @param redirectTo the Location field's value, or null for none */
    private void send(int code, String body, String redirectTo) {
        RequestFacts facts = cycle.facts();
        // Every request has its $request_id; one the exchange did not reach gets it here, for the access log.
        if (facts.requestId.isEmpty()) facts.requestId = RequestHandler.newRequestId();
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                Unpooled.wrappedBuffer(bytes));
        if (redirectTo != null) {
            String location = cycle.location().redirects().ownLocation(redirectTo, facts);
            response.headers().set(HttpHeaderNames.LOCATION, location);
        }
        response.headers().set(HttpHeaderNames.SERVER, ServerHeader.NAME);
        response.headers().set(HttpHeaderNames.DATE, ServerHeader.date(cycle.runtime().clock().millis()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        HttpUtil.setContentLength(response, bytes.length);
        if (facts.wwwAuthenticate != null) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, facts.wwwAuthenticate);
        }
        cycle.writeWhole(response);
    }
}
