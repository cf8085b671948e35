package dev.proxyline.server.http.proxy;

import java.util.regex.Pattern;

/**
 * {@code rewrite_log on}: nginx's notice lines for each regex of the rewrite module ({@code rewrite}, {@code if}) and
 * each URI or redirect a {@code rewrite} makes, with the request's context as nginx writes it: {@code "^/a" matches
 * "/a", client: 127.0.0.1, server: ex, request: "GET /a HTTP/1.1", host: "ex"}, {@code rewritten data: "/b", args:
 * "q=1", ...}, {@code rewritten redirect: "http://e.test/b", ...}. Not rate-limited: the operator asked for every line
 * (they are notice lines, which the error log shows from {@code error_log ... notice} on, as nginx's).
 */
final class RewriteLog {
    private static final System.Logger LOG = System.getLogger(RewriteLog.class.getName());

    private RewriteLog() {}

    /** A regex was tried on {@code subject}. */
    static void regex(Pattern regex, String subject, boolean matched, RequestFacts facts) {
        LOG.log(System.Logger.Level.INFO, "\"" + regex.pattern() + (matched ? "\" matches \"" : "\" does not match \"")
                + subject + "\"" + LimitLog.context(facts));
    }

    /** A rewrite made the request's URI what {@code facts} now hold. */
    static void rewritten(RequestFacts facts) {
        LOG.log(System.Logger.Level.INFO, "rewritten data: \"" + facts.path + "\", args: \"" + facts.args + "\""
                + LimitLog.context(facts));
    }

    /** A rewrite redirects the request to {@code url} (its arguments included). */
    static void redirect(String url, RequestFacts facts) {
        LOG.log(System.Logger.Level.INFO, "rewritten redirect: \"" + url + "\"" + LimitLog.context(facts));
    }
}
