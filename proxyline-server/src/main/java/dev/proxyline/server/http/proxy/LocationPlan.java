package dev.proxyline.server.http.proxy;

import dev.proxyline.config.LimitConnOptions;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.realip.ForwardedHeaders;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.variables.Template;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one request needs once its location is known, compiled at startup.
 *
 * @param action            what the location does
 * @param realIp            {@code set_real_ip_from}, {@code real_ip_header}, {@code real_ip_recursive}
 * @param forwarded         the forwarding headers sent (ingress-nginx's set; {@code Forwarded} with {@code proxy_forwarded on})
 * @param setHeaders        {@code proxy_set_header} rules, values compiled
 * @param timeouts          the merged timeouts
 * @param keepaliveRequests {@code keepalive_requests}
 * @param clientMaxBodySize {@code client_max_body_size}; 0 means unlimited, as in nginx
 * @param send              the PROXY header sent on new upstream connections, when {@code proxy_protocol on}
 * @param accessLog         where the exchange is logged
 * @param gzip              which responses are compressed ({@code gzip} and its directives)
 * @param sets              the {@code set}s a request runs when it reaches this location: its server's, then its own
 * @param addHeaders        {@code add_header} fields, values compiled
 * @param upstreamHeaders   which upstream response fields the client does not get ({@code proxy_hide_header},
 *                          {@code proxy_pass_header})
 * @param limitConns        {@code limit_conn}: the caps on requests in progress a request must pass
 * @param limitConnStatus   {@code limit_conn_status}: the answer to a request over a cap
 * @param limitConnOptions  {@code limit_conn_log_level} and {@code limit_conn_dry_run}
 * @param limitReq          {@code limit_req}: the request rates a request must keep to
 */
public record LocationPlan(Action action, RealIp realIp, ForwardedHeaders forwarded,
                           List<SetHeader> setHeaders, HttpSettings.Timeouts timeouts, int keepaliveRequests,
                           long clientMaxBodySize, Optional<ProxyHeaderBuilder> send, SessionLog accessLog,
                           GzipPolicy gzip, List<SetStep> sets, List<AddHeader> addHeaders,
                           UpstreamHeaderFilter upstreamHeaders, List<LimitConn> limitConns, int limitConnStatus,
                           LimitConnOptions limitConnOptions, LimitReqPlan limitReq) {
    public LocationPlan {
        Objects.requireNonNull(limitConnOptions, "limitConnOptions");
        Objects.requireNonNull(limitReq, "limitReq");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(realIp, "realIp");
        Objects.requireNonNull(forwarded, "forwarded");
        setHeaders = List.copyOf(setHeaders);
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(gzip, "gzip");
        sets = List.copyOf(sets);
        addHeaders = List.copyOf(addHeaders);
        Objects.requireNonNull(upstreamHeaders, "upstreamHeaders");
        limitConns = List.copyOf(limitConns);
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

    /** The location has {@code limit_req} or {@code limit_conn}: its requests go through the preaccess checks. */
    boolean limited() {
        return !limitReq.isEmpty() || !limitConns.isEmpty();
    }

    /** {@code limit_conn ZONE NUMBER} with its zone's key compiled. */
    public record LimitConn(RequestCountZone zone, Template key, int number) {
        public LimitConn {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code set $VARIABLE VALUE}: the variable's index in a request's set values, and the value compiled. */
    public record SetStep(int index, Template value) {
        public SetStep {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code proxy_set_header NAME VALUE} with its value compiled. */
    public record SetHeader(String name, Template value) {
        public SetHeader {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** What a location does with a request. */
    public sealed interface Action {
    }

    /** {@code proxy_pass}: to a group, through its idle-connection pool, with nginx's URI rule; connects with {@code proxy_connect_timeout}. */
    public record Forward(UpstreamPlan upstream, UpstreamPool pool, UriRewrite uri, UpstreamBootstrap bootstrap)
            implements Action {
        public Forward {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(bootstrap, "bootstrap");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** {@code return CODE [TEXT|URL]} (with variables, as in nginx), or nginx's own answer (404 where nothing serves the path). */
    public record Answer(int code, Optional<Template> textOrUrl) implements Action {
        public Answer {
            Objects.requireNonNull(textOrUrl, "textOrUrl");
        }
    }
}
