package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.realip.Headers;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Optional;

/** Turns a request into its {@code error_page}'s request, as nginx's internal redirect and named location do. */
final class ErrorPageRequest {
    private ErrorPageRequest() {
    }

    /**
     * @param target     the page: an {@link ErrorPagePlan.Internal} path or an {@link ErrorPagePlan.Named} location
     * @param sentStatus the status the page's answer goes out with (0: its own)
     * @param redirectTo the Location of the redirect that went to the page, which its answer keeps
     * @param bodyLength -1 when none of the request's body was read yet (the page's request gets it from the client as
     *                   announced); else the length of the copy resent (as nginx resends its own, announced with
     *                   Content-Length), 0 when the body went upstream and no copy is held
     */
    static void redirect(RequestFacts facts, HttpRequest request, ErrorPagePlan.Target target, int sentStatus,
                         Optional<String> redirectTo, long bodyLength) {
        facts.errStatus = sentStatus;
        if (redirectTo.isPresent()) facts.errLocation = redirectTo.get();
        if (target instanceof ErrorPagePlan.Internal internal) {
            // nginx's internal redirect: the path and only its own arguments; the method GET unless HEAD.
            facts.path = internal.path();
            facts.args = internal.args();
            facts.uriChanged = true;
            facts.rewrittenInLocation = false;
            facts.internal = true;
            if (!request.method().equals(HttpMethod.HEAD) && !request.method().equals(HttpMethod.GET)) {
                request.setMethod(HttpMethod.GET);
                facts.pageMethod = "GET";
            }
        }
        // An earlier exchange edited the head in place into the upstream's: the page's request starts as received.
        HttpHeaders headers = request.headers();
        headers.clear();
        for (Headers.Field field : facts.receivedHeaders().fields()) headers.add(field.name(), field.value());
        if (bodyLength >= 0) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            if (bodyLength > 0) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
            } else {
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            }
        }
    }

    /**
     * A proxied page's answer to a 401 (of {@code auth_basic} or an intercepted upstream's) carries the 401's
     * WWW-Authenticate first, before the page's own, as nginx's does: the field stays in its output headers across the
     * redirect, and the page's upstream adds its own after.
     */
    static void keepChallenge(HttpHeaders response, String challenge) {
        List<String> own = response.getAll(HttpHeaderNames.WWW_AUTHENTICATE);
        response.set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        if (!own.isEmpty()) response.add(HttpHeaderNames.WWW_AUTHENTICATE, own);
    }
}
