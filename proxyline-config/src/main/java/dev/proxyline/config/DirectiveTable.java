package dev.proxyline.config;

import static dev.proxyline.config.Context.EVENTS;
import static dev.proxyline.config.Context.HTTP;
import static dev.proxyline.config.Context.HTTP_IF;
import static dev.proxyline.config.Context.HTTP_LIMIT_EXCEPT;
import static dev.proxyline.config.Context.HTTP_LOCATION;
import static dev.proxyline.config.Context.HTTP_MAP;
import static dev.proxyline.config.Context.HTTP_SERVER;
import static dev.proxyline.config.Context.HTTP_UPSTREAM;
import static dev.proxyline.config.Context.MAIN;
import static dev.proxyline.config.Context.STREAM;
import static dev.proxyline.config.Context.STREAM_MAP;
import static dev.proxyline.config.Context.STREAM_SERVER;
import static dev.proxyline.config.Context.STREAM_UPSTREAM;
import static dev.proxyline.config.DirectiveSpec.MANY;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every directive proxyline understands, with its contexts and arity. The same name can mean different
 * things in different contexts ({@code server} is a block in {@code stream} and an address in
 * {@code upstream}), so rows are keyed by name and context.
 */
final class DirectiveTable {
    private final Map<String, List<DirectiveSpec>> byName = new HashMap<>();
    private final NoEffectDirectives noEffect = NoEffectDirectives.standard();

    static DirectiveTable standard() {
        DirectiveTable t = new DirectiveTable();
        // main
        t.simple("user", 1, 2, MAIN);
        t.simple("worker_processes", 1, 1, MAIN);
        t.simple("worker_cpu_affinity", 1, MANY, MAIN);
        t.simple("worker_rlimit_nofile", 1, 1, MAIN);
        t.simple("worker_shutdown_timeout", 1, 1, MAIN);
        t.block("events", 0, EVENTS, MAIN);
        t.simple("worker_connections", 1, 1, EVENTS);
        t.simple("multi_accept", 1, 1, EVENTS);
        t.simple("use", 1, 1, EVENTS);
        t.simple("error_log", 1, 2, MAIN);
        t.simple("pid", 1, 1, MAIN);
        t.block("stream", 0, STREAM, MAIN);
        t.block("http", 0, HTTP, MAIN);

        // stream
        t.repeatableBlock("upstream", 1, STREAM_UPSTREAM, STREAM);
        t.repeatableBlock("server", 0, STREAM_SERVER, STREAM);
        t.repeatable("server", 1, MANY, STREAM_UPSTREAM, HTTP_UPSTREAM);
        t.simple("least_conn", 0, 0, STREAM_UPSTREAM, HTTP_UPSTREAM);
        t.simple("hash", 1, 2, STREAM_UPSTREAM, HTTP_UPSTREAM);
        t.simple("random", 0, 1, STREAM_UPSTREAM, HTTP_UPSTREAM);
        t.repeatable("listen", 1, MANY, STREAM_SERVER, HTTP_SERVER);
        t.simple("proxy_pass", 1, 1, STREAM_SERVER, HTTP_LOCATION, HTTP_LIMIT_EXCEPT);
        t.simple("proxy_connect_timeout", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("resolver", 1, MANY, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("resolver_timeout", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_timeout", 1, 1, STREAM, STREAM_SERVER);
        t.simple("proxy_next_upstream", 1, 1, STREAM, STREAM_SERVER);
        t.simple("proxy_next_upstream_tries", 1, 1, STREAM, STREAM_SERVER);
        t.simple("proxy_next_upstream_timeout", 1, 1, STREAM, STREAM_SERVER);
        t.simple("proxy_bind", 1, 2, STREAM, STREAM_SERVER);
        t.simple("proxy_buffer_size", 1, 1, STREAM, STREAM_SERVER);
        t.simple("proxy_splice", 1, 1, STREAM, STREAM_SERVER);
        t.simple("proxy_half_close", 1, 1, STREAM, STREAM_SERVER);
        t.simple("ssl_preread", 1, 1, STREAM, STREAM_SERVER);
        t.simple("preread_buffer_size", 1, 1, STREAM, STREAM_SERVER);
        t.simple("preread_timeout", 1, 1, STREAM, STREAM_SERVER);
        // TLS termination on "listen ... ssl" (nginx's ngx_stream_ssl_module): the http ssl directives, read alike.
        t.repeatable("ssl_certificate", 1, 1, STREAM, STREAM_SERVER);
        t.repeatable("ssl_certificate_key", 1, 1, STREAM, STREAM_SERVER);
        t.simple("ssl_protocols", 1, MANY, STREAM, STREAM_SERVER);
        for (String name : List.of("ssl_ciphers", "ssl_prefer_server_ciphers", "ssl_session_timeout",
                "ssl_session_tickets", "ssl_ecdh_curve", "ssl_dhparam", "ssl_handshake_timeout", "ssl_verify_client",
                "ssl_client_certificate", "ssl_trusted_certificate", "ssl_verify_depth", "ssl_crl")) {
            t.simple(name, 1, 1, STREAM, STREAM_SERVER);
        }
        t.simple("ssl_session_cache", 1, 2, STREAM, STREAM_SERVER);
        t.repeatable("ssl_session_ticket_key", 1, 1, STREAM, STREAM_SERVER);
        t.repeatable("ssl_conf_command", 2, 2, STREAM, STREAM_SERVER);
        t.simple("ssl_alpn", 1, MANY, STREAM, STREAM_SERVER);
        // TLS to the upstream (nginx's stream proxy_ssl): the http proxy_ssl_* directives, read alike.
        for (String name : List.of("proxy_ssl", "proxy_ssl_server_name", "proxy_ssl_name", "proxy_ssl_verify",
                "proxy_ssl_verify_depth", "proxy_ssl_trusted_certificate", "proxy_ssl_ciphers", "proxy_ssl_certificate",
                "proxy_ssl_certificate_key", "proxy_ssl_session_reuse", "proxy_ssl_crl")) {
            t.simple(name, 1, 1, STREAM, STREAM_SERVER);
        }
        t.simple("proxy_ssl_protocols", 1, MANY, STREAM, STREAM_SERVER);
        t.simple("proxy_ignore_client_abort", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_socket_keepalive", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_protocol", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_protocol_version", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("proxy_protocol_tlv", 2, 2, STREAM, STREAM_SERVER);
        t.simple("proxy_protocol_crc32c", 1, 1, STREAM, STREAM_SERVER);
        t.simple("proxy_protocol_timeout", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER);
        t.repeatable("proxy_protocol_policy", 1, MANY, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER);
        t.repeatable("allow", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_LIMIT_EXCEPT);
        t.repeatable("deny", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_LIMIT_EXCEPT);
        t.repeatable("set_real_ip_from", 1, 1, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("limit_conn_zone", 2, 2, STREAM);
        t.repeatable("limit_conn", 2, 2, STREAM, STREAM_SERVER);
        t.simple("limit_conn_log_level", 1, 1, STREAM, STREAM_SERVER);
        t.simple("limit_conn_dry_run", 1, 1, STREAM, STREAM_SERVER);
        t.repeatable("log_format", 2, MANY, STREAM, HTTP);
        t.repeatableBlock("map", 2, STREAM_MAP, STREAM);
        t.repeatableBlock("map", 2, HTTP_MAP, HTTP);
        t.repeatable("access_log", 1, MANY, STREAM, STREAM_SERVER, HTTP, HTTP_SERVER, HTTP_LOCATION,
                HTTP_LIMIT_EXCEPT);

        // http
        t.repeatableBlock("upstream", 1, HTTP_UPSTREAM, HTTP);
        t.repeatableBlock("server", 0, HTTP_SERVER, HTTP);
        t.simple("keepalive", 1, 1, HTTP_UPSTREAM);
        t.simple("keepalive_time", 1, 1, HTTP_UPSTREAM);
        t.repeatable("server_name", 1, MANY, HTTP_SERVER);
        t.repeatableBlock("location", 1, 2, HTTP_LOCATION, HTTP_SERVER, HTTP_LOCATION);
        t.simple("return", 1, 2, HTTP_SERVER, HTTP_LOCATION, HTTP_IF);
        t.repeatable("set", 2, 2, HTTP_SERVER, HTTP_LOCATION, HTTP_IF);
        t.repeatable("rewrite", 2, 3, HTTP_SERVER, HTTP_LOCATION, HTTP_IF);
        t.repeatable("break", 0, 0, HTTP_SERVER, HTTP_LOCATION, HTTP_IF);
        t.repeatableBlock("if", 1, MANY, HTTP_IF, HTTP_SERVER, HTTP_LOCATION);
        t.simple("rewrite_log", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_IF);
        t.simple("auth_basic", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_LIMIT_EXCEPT);
        t.simple("auth_basic_user_file", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_LIMIT_EXCEPT);
        t.block("limit_except", 1, MANY, HTTP_LIMIT_EXCEPT, HTTP_LOCATION);
        t.simple("satisfy", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("real_ip_header", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("real_ip_recursive", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("proxy_set_header", 2, 2, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("add_header", 2, 3, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("proxy_hide_header", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("limit_conn_zone", 2, 2, HTTP);
        t.repeatable("limit_conn", 2, 2, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("limit_conn_status", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("limit_conn_log_level", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("limit_conn_dry_run", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("limit_req_zone", 3, 4, HTTP);
        t.repeatable("limit_req", 1, 3, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("limit_req_status", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("limit_req_log_level", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("limit_req_dry_run", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("proxy_pass_header", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_forwarded", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        for (String name : List.of("absolute_redirect", "server_name_in_redirect", "port_in_redirect")) {
            t.simple(name, 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        }
        for (String name : List.of("proxy_redirect", "proxy_cookie_domain", "proxy_cookie_path")) {
            t.repeatable(name, 1, 2, HTTP, HTTP_SERVER, HTTP_LOCATION);
        }
        t.repeatable("proxy_cookie_flags", 1, 4, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_http_version", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        for (String name : List.of("proxy_ssl_server_name", "proxy_ssl_name", "proxy_ssl_verify",
                "proxy_ssl_verify_depth", "proxy_ssl_trusted_certificate", "proxy_ssl_ciphers", "proxy_ssl_certificate",
                "proxy_ssl_certificate_key", "proxy_ssl_session_reuse", "proxy_ssl_crl")) {
            t.simple(name, 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        }
        t.simple("proxy_ssl_protocols", 1, MANY, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("ssl_certificate", 1, 1, HTTP, HTTP_SERVER);
        t.repeatable("ssl_certificate_key", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_protocols", 1, MANY, HTTP, HTTP_SERVER);
        t.simple("ssl_ciphers", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_prefer_server_ciphers", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_session_cache", 1, 2, HTTP, HTTP_SERVER);
        t.simple("ssl_session_timeout", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_session_tickets", 1, 1, HTTP, HTTP_SERVER);
        t.repeatable("ssl_session_ticket_key", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_ecdh_curve", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_dhparam", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_reject_handshake", 1, 1, HTTP, HTTP_SERVER);
        t.repeatable("ssl_conf_command", 2, 2, HTTP, HTTP_SERVER);
        t.simple("ssl_verify_client", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_client_certificate", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_trusted_certificate", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_verify_depth", 1, 1, HTTP, HTTP_SERVER);
        t.simple("ssl_crl", 1, 1, HTTP, HTTP_SERVER);
        for (String name : List.of("ssl_stapling", "ssl_stapling_file", "ssl_stapling_responder",
                "ssl_stapling_verify")) {
            t.simple(name, 1, 1, HTTP, HTTP_SERVER);
        }
        for (String name : List.of("ssl_ocsp", "ssl_ocsp_responder", "ssl_ocsp_cache")) {
            t.simple(name, 1, 1, HTTP, HTTP_SERVER);
        }
        t.simple("gzip", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("gzip_types", 1, MANY, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("gzip_min_length", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("gzip_comp_level", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("gzip_vary", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("gzip_proxied", 1, MANY, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("gzip_http_version", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("gzip_disable", 1, MANY, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_read_timeout", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_send_timeout", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("client_header_timeout", 1, 1, HTTP, HTTP_SERVER);
        t.simple("client_body_timeout", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("send_timeout", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        // In an upstream block these two are about the upstream connections (UpstreamBuilder), elsewhere the clients'.
        t.simple("keepalive_timeout", 1, 2, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_UPSTREAM);
        t.simple("keepalive_requests", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_UPSTREAM);
        t.simple("client_max_body_size", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_next_upstream", 1, MANY, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_next_upstream_tries", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_next_upstream_timeout", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.repeatable("error_page", 2, MANY, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("proxy_intercept_errors", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("recursive_error_pages", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("internal", 0, 0, HTTP_LOCATION);
        // How client connections are read and written (ClientConnection); error_log beyond main (ErrorLogReader).
        for (String name : List.of("client_header_buffer_size", "underscores_in_headers", "ignore_invalid_headers",
                "http2_max_concurrent_streams", "ssl_buffer_size", "ssl_early_data")) {
            t.simple(name, 1, 1, HTTP, HTTP_SERVER);
        }
        t.simple("large_client_header_buffers", 2, 2, HTTP, HTTP_SERVER);
        t.simple("reset_timedout_connection", 1, 1, HTTP, HTTP_SERVER, HTTP_LOCATION);
        t.simple("error_log", 1, 2, HTTP, HTTP_SERVER, HTTP_LOCATION);
        return t;
    }

    /** How a name resolves in a context: a row, a directive to drop with a warning, or the error to report. */
    sealed interface Lookup {
        record Found(DirectiveSpec spec) implements Lookup {}
        record Ignored(String warning) implements Lookup {}
        record Rejected(String message) implements Lookup {}
    }

    Lookup lookup(Directive directive, Context context) {
        String name = directive.name();
        List<DirectiveSpec> rows = byName.getOrDefault(name, List.of());
        for (DirectiveSpec row : rows) {
            if (row.contexts().contains(context)) return new Lookup.Found(row);
        }
        if (context == HTTP_IF && (!rows.isEmpty() || isNginxName(name))) return insideIf(name);
        if (context == HTTP_LIMIT_EXCEPT && (!rows.isEmpty() || isNginxName(name))) {
            // What nginx takes there, proxyline takes too; the generic wording would call the rest unsupported.
            return new Lookup.Rejected("\"" + name + "\" directive is not allowed inside \"limit_except\" (only allow, "
                    + "deny, auth_basic, auth_basic_user_file, access_log and proxy_pass, as in nginx)");
        }
        Optional<String> ignored = noEffect.warning(directive, context);
        if (ignored.isPresent()) return new Lookup.Ignored(ignored.get());
        boolean nginxHasItHere = nginxNames(context.family()).contains(name);
        boolean proxylineHasItInFamily = rows.stream()
                .anyMatch(r -> r.contexts().stream().anyMatch(c -> c.family() == context.family()));
        if (!rows.isEmpty() && (proxylineHasItInFamily || !nginxHasItHere)) {
            return new Lookup.Rejected("\"" + name + "\" directive is not allowed in " + context.displayName()
                    + " (allowed in: " + allowedIn(rows) + ")");
        }
        if (nginxHasItHere || isNginxName(name)) {
            return new Lookup.Rejected("unsupported directive \"" + name + "\" in " + context.displayName()
                    + " (nginx has it, proxyline does not" + NginxDirectives.whyNot(name).map(why -> ": " + why)
                    .orElse("") + ")");
        }
        return new Lookup.Rejected("unknown directive \"" + name + "\"");
    }

    /**
     * Inside an {@code if} only the rewrite module runs: nginx refuses a nested {@code if}, and what else it allows
     * there (proxy_pass, add_header, limit_rate...) proxyline refuses loudly rather than ignore.
     */
    private static Lookup insideIf(String name) {
        if (name.equals("if")) {
            return new Lookup.Rejected("\"if\" directive is not allowed inside \"if\" (nginx does not nest them)");
        }
        return new Lookup.Rejected("\"" + name + "\" inside \"if\" is not supported by proxyline; only return, rewrite, "
                + "set, break and rewrite_log");
    }

    boolean isProxylineDirective(String name) {
        return byName.containsKey(name);
    }

    private static boolean isNginxName(String name) {
        return NginxDirectives.MAIN.contains(name) || NginxDirectives.STREAM.contains(name)
                || NginxDirectives.HTTP.contains(name);
    }

    private static Set<String> nginxNames(Context.Family family) {
        return switch (family) {
            case MAIN -> NginxDirectives.MAIN;
            case STREAM -> NginxDirectives.STREAM;
            case HTTP -> NginxDirectives.HTTP;
        };
    }

    private static String allowedIn(List<DirectiveSpec> rows) {
        Set<String> names = new TreeSet<>();
        for (DirectiveSpec r : rows) r.contexts().forEach(c -> names.add(c.displayName()));
        return String.join(", ", names);
    }

    private void simple(String name, int min, int max, Context... contexts) {
        add(new DirectiveSpec(name, EnumSet.of(contexts[0], contexts), min, max, Optional.empty(), false));
    }

    private void repeatable(String name, int min, int max, Context... contexts) {
        add(new DirectiveSpec(name, EnumSet.of(contexts[0], contexts), min, max, Optional.empty(), true));
    }

    private void block(String name, int args, Context inner, Context... contexts) {
        add(new DirectiveSpec(name, EnumSet.of(contexts[0], contexts), args, args, Optional.of(inner), false));
    }

    private void block(String name, int min, int max, Context inner, Context... contexts) {
        add(new DirectiveSpec(name, EnumSet.of(contexts[0], contexts), min, max, Optional.of(inner), false));
    }

    private void repeatableBlock(String name, int args, Context inner, Context... contexts) {
        add(new DirectiveSpec(name, EnumSet.of(contexts[0], contexts), args, args, Optional.of(inner), true));
    }

    private void repeatableBlock(String name, int min, int max, Context inner, Context... contexts) {
        add(new DirectiveSpec(name, EnumSet.of(contexts[0], contexts), min, max, Optional.of(inner), true));
    }

    private void add(DirectiveSpec spec) {
        byName.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(spec);
    }
}
