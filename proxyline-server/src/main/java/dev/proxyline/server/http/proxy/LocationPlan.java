package dev.proxyline.server.http.proxy;

import dev.proxyline.config.AccessRules;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.config.RewriteRule;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.auth.AccessPhase;
import dev.proxyline.server.http.realip.ForwardedHeaders;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.variables.CapturingTemplate;
import dev.proxyline.server.variables.Template;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything one request needs once its location is known, compiled at startup.
 *
 * @param action            what the location does
 * @param realIp            {@code set_real_ip_from}, {@code real_ip_header}, {@code real_ip_recursive}
 * @param access            {@code allow} and {@code deny}, applied to the client after realip
 * @param forwarded         the forwarding headers sent (ingress-nginx's set; {@code Forwarded} with {@code proxy_forwarded on})
 * @param setHeaders        {@code proxy_set_header} rules, values compiled
 * @param timeouts          the merged timeouts
 * @param keepaliveRequests {@code keepalive_requests}
 * @param clientMaxBodySize {@code client_max_body_size}; 0 means unlimited, as in nginx
 * @param ignoreClientAbort {@code proxy_ignore_client_abort}: a request goes on when its client closes its side
 * @param send              the PROXY header sent on new upstream connections, when {@code proxy_protocol on}
 * @param accessLog         where the exchange is logged
 * @param gzip              which responses are compressed ({@code gzip} and its directives)
 * @param rewrites          the location's own rewrite-module steps ({@code set}, {@code rewrite}, {@code break}), in
 *                          order; its server's run before the location is chosen ({@link ServerPlan#rewrites()})
 * @param addHeaders        {@code add_header} fields, values compiled
 * @param upstreamHeaders   which upstream response fields the client does not get ({@code proxy_hide_header},
 *                          {@code proxy_pass_header})
 * @param limitConn         {@code limit_conn}: the caps on requests in progress a request must pass
 * @param limitReq          {@code limit_req}: the request rates a request must keep to
 * @param errorPages        {@code error_page}, {@code proxy_intercept_errors}, {@code recursive_error_pages} and
 *                          {@code internal}
 * @param redirects         {@code proxy_redirect}, and how own answers' Locations are made ({@code absolute_redirect}
 *                          and its kin)
 * @param authBasic         {@code auth_basic} with its user file and {@code satisfy}, checked with {@code access};
 *                          empty without it (allow/deny alone then decide)
 * @param limitExcept       {@code limit_except}: the plan of the methods it does not list; empty without it
 * @param resetTimedout     {@code reset_timedout_connection}: a client that timed out, or {@code return 444}, gets a
 *                          reset
 */
public record LocationPlan(Action action, RealIp realIp, AccessRules access, ForwardedHeaders forwarded,
                           List<SetHeader> setHeaders, HttpSettings.Timeouts timeouts, int keepaliveRequests,
                           long clientMaxBodySize, boolean ignoreClientAbort, Optional<ProxyHeaderBuilder> send, SessionLog accessLog,
                           GzipPolicy gzip, List<Step> rewrites, List<AddHeader> addHeaders,
                           UpstreamHeaderFilter upstreamHeaders, LimitConnPlan limitConn, LimitReqPlan limitReq,
                           ErrorPagePlan errorPages, RedirectRewrite redirects, Optional<AccessPhase> authBasic,
                           Optional<LimitExceptPlan> limitExcept, boolean resetTimedout) {
    public LocationPlan {
        Objects.requireNonNull(redirects, "redirects");
        Objects.requireNonNull(authBasic, "authBasic");
        Objects.requireNonNull(limitExcept, "limitExcept");
        Objects.requireNonNull(limitConn, "limitConn");
        Objects.requireNonNull(errorPages, "errorPages");
        Objects.requireNonNull(limitReq, "limitReq");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(realIp, "realIp");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(forwarded, "forwarded");
        setHeaders = List.copyOf(setHeaders);
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(gzip, "gzip");
        rewrites = List.copyOf(rewrites);
        addHeaders = List.copyOf(addHeaders);
        Objects.requireNonNull(upstreamHeaders, "upstreamHeaders");
    }

    /**
     * {@code add_header NAME VALUE [always]} with its value compiled. As in nginx, {@code Last-Modified} and
     * {@code ETag} replace the response's own field, every other name adds one, and an empty value adds nothing.
     */
    public record AddHeader(String name, Template value, boolean always) {
        /** The statuses nginx adds a field without {@code always} to. */
        private static final Set<Integer> STATUSES = Set.of(200, 201, 204, 206, 301, 302, 303, 304, 307, 308);

        public AddHeader {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        boolean appliesTo(int status) {
            return always || STATUSES.contains(status);
        }

        boolean replaces() {
            return name.equalsIgnoreCase("Last-Modified") || name.equalsIgnoreCase("ETag");
        }
    }

    /** The plan a request of {@code method} is served by here: this one, unless its {@code limit_except} limits it. */
    LocationPlan forMethod(String method) {
        return limitExcept.isEmpty() ? this : limitExcept.get().choose(method, this);
    }

    /** The location has {@code limit_req} or {@code limit_conn}: its requests go through the preaccess checks. */
    boolean limited() {
        return !limitReq.isEmpty() || !limitConn.isEmpty();
    }

    /** One directive of nginx's rewrite module, compiled; a request runs a block's in order. */
    public sealed interface Step permits SetStep, SetArgs, Rewrite, Break, Return, If, LocationCaptures {
    }

    /**
     * The captures of a regex location the request is in (the one found, or one enclosing it), which nginx keeps from
     * the location search ({@code $1} and named groups for {@code return}, {@code set}, {@code proxy_set_header} ...):
     * among the first steps of a location, outermost regex first, each taken from the search's match number
     * {@code match} ({@link dev.proxyline.server.http.routing.RegexMatches}), never matched again. A regex without
     * groups only empties {@code $1}..{@code $9}, as nginx's.
     */
    public record LocationCaptures(int match, boolean groups, RegexCaptures captures) implements Step {
        public LocationCaptures {
            if (match < 0) throw new IllegalArgumentException("match " + match);
            Objects.requireNonNull(captures, "captures");
        }
    }

    /**
     * {@code if (CONDITION) { ... }}: when {@code test} holds, {@code steps} run as part of the enclosing block's;
     * {@code log}: the block's {@code rewrite_log}, for a regex condition.
     */
    public record If(IfTest test, List<Step> steps, boolean log) implements Step {
        public If {
            Objects.requireNonNull(test, "test");
            steps = List.copyOf(steps);
        }
    }

    /** {@code set $VARIABLE VALUE}: the variable's index in a request's set values, and the value compiled. */
    public record SetStep(int index, Template value) implements Step {
        public SetStep {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code set $args VALUE}: the request's arguments change, and with them what goes upstream (as nginx, whose
     * {@code $args} is changeable).
     */
    public record SetArgs(Template value) implements Step {
        public SetArgs {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code rewrite REGEX REPLACEMENT [FLAG]}, the replacement compiled with the regex's captures.
     *
     * @param redirect a redirect (a flag says so, or the replacement names a scheme), answered with {@code status}
     * @param captures where the match puts {@code $1}..{@code $9} and its named groups, as an {@code if}'s
     * @param log      the block's {@code rewrite_log}: the match and the new URI are logged ({@link RewriteLog})
     */
    public record Rewrite(Pattern regex, CapturingTemplate replacement, RewriteRule.Flag flag, boolean redirect,
                          int status, RegexCaptures captures, boolean log) implements Step {
        public Rewrite {
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(replacement, "replacement");
            Objects.requireNonNull(flag, "flag");
            Objects.requireNonNull(captures, "captures");
        }
    }

    /** {@code break}: the block's remaining steps are skipped. */
    public record Break() implements Step {
    }

    /**
     * The block's {@code return}, where it stands among its other steps: answered when reached (the block's action is
     * then {@link NotFound}, what a request gets when a step before it stops the block).
     */
    public record Return(Answer answer) implements Step {
        public Return {
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * {@code proxy_set_header NAME VALUE} with its value compiled; {@code key} is the name built once for Netty's
     * headers, where a String name is hashed (and checked) anew on every call.
     */
    public record SetHeader(String name, Template value, AsciiString key) {
        public SetHeader {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(key, "key");
        }

        public SetHeader(String name, Template value) {
            this(name, value, AsciiString.cached(name));
        }
    }

    /** What a location does with a request. */
    public sealed interface Action {
    }

    /**
     * {@code proxy_pass}: to a group, through its idle-connection pool, with nginx's URI rule; connects with
     * {@code proxy_connect_timeout}; with {@code https://}, over TLS ({@code tls}).
     */
    public record Forward(UpstreamPlan upstream, UpstreamPool pool, UriRewrite uri, UpstreamBootstrap bootstrap,
                          Optional<UpstreamTls> tls) implements Action {
        public Forward {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(bootstrap, "bootstrap");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** {@code proxy_pass} with variables: where each request goes is decided for it ({@link ComputedProxy}). */
    public record Computed(ComputedProxy proxy) implements Action {
        public Computed {
            Objects.requireNonNull(proxy, "proxy");
        }
    }

    /**
     * {@code return CODE [TEXT|URL]} (with variables, as in nginx), or the redirect to a location's slash-ended
     * path: answered before the limits and {@code allow}/{@code deny} are checked, since nginx answers both in phases
     * that come before theirs.
     */
    public record Answer(int code, Optional<Template> textOrUrl) implements Action {
        public Answer {
            Objects.requireNonNull(textOrUrl, "textOrUrl");
        }
    }

    /**
     * Neither {@code proxy_pass} nor {@code return}: nginx would look for a file, proxyline has none to serve, so 404,
     * or 405 to other methods than GET, HEAD and POST ({@link NothingToServe}), as nginx's content phase answers
     * (after the limits and {@code allow}/{@code deny}).
     */
    public record NotFound() implements Action {
    }
}
