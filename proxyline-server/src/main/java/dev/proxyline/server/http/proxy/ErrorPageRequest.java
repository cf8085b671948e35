package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.realip.Headers;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Optional;

/** Turns a request into its {@code error_page}'s request, as nginx's internal redirect and named location do. */
final class ErrorPageRequest {
    private ErrorPageRequest() {
    }

    /**
     * @param target     the page: an {@link ErrorPagePlan.Internal} path or an {@link ErrorPagePlan.Named} location
     * @param sentStatus the status the page's answer goes out with (0: its own)
     * @param redirectTo the Location of the redirect that went to the page, which its answer keeps
     * @param bodySent   some of the request's body went upstream already: the page's request has none (nginx sends
     *                   the copy it keeps; proxyline streams bodies)
     */
    static void redirect(RequestFacts facts, HttpRequest request, ErrorPagePlan.Target target, int sentStatus,
                         Optional<String> redirectTo, boolean bodySent) {
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
        if (bodySent) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
    }
}
