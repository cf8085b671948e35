package dev.proxyline.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names of directives nginx has, per module family, so that a directive proxyline lacks is reported as
 * "nginx has it, proxyline does not" instead of "unknown". Not exhaustive: a missing name only changes
 * the wording of the error, never whether it is an error.
 */
final class NginxDirectives {
    private NginxDirectives() {}

    /** Why proxyline lacks a directive, where a user would otherwise look for a way to make it work. */
    private static final Map<String, String> WHY_NOT = Map.of(
            "ssl_early_data", "TLS 1.3 early data (0-RTT) is not offered by proxyline's TLS engines (the JDK's has "
                    + "none, and Netty does not expose BoringSSL's)",
            "ssl_password_file", "keys are read unencrypted: decrypt the key once (openssl pkey -in KEY -out PLAIN) "
                    + "and keep the file readable only by proxyline",
            "proxy_ssl_password_file", "keys are read unencrypted: decrypt the key once (openssl pkey -in KEY "
                    + "-out PLAIN) and keep the file readable only by proxyline",
            "proxy_ssl_conf_command", "OpenSSL's configuration commands; write proxy_ssl_protocols and "
                    + "proxy_ssl_ciphers for what they would set",
            "ssl_reject_handshake", "not in stream, as in nginx 1.22; http servers have it");

    /** Why proxyline does not have {@code name}, for the error that names it; empty where nothing more is to say. */
    static Optional<String> whyNot(String name) {
        return Optional.ofNullable(WHY_NOT.get(name));
    }

    /** Tolerates repeated names in the lists below (Set.of would fail class initialisation). */
    private static Set<String> names(String... names) {
        return Set.copyOf(new java.util.HashSet<>(java.util.Arrays.asList(names)));
    }

    static final Set<String> MAIN = names(
            "user", "worker_processes", "worker_rlimit_nofile", "worker_rlimit_core", "worker_priority",
            "worker_cpu_affinity", "worker_shutdown_timeout", "daemon", "master_process", "load_module",
            "env", "lock_file", "pcre_jit", "ssl_engine", "thread_pool", "timer_resolution", "working_directory",
            "debug_points", "google_perftools_profiles", "pid", "error_log", "include", "events", "stream", "http",
            "mail", "use", "multi_accept", "accept_mutex", "accept_mutex_delay", "worker_aio_requests",
            "worker_connections", "debug_connection");

    static final Set<String> STREAM = names(
            "server", "listen", "upstream", "proxy_pass", "proxy_bind", "proxy_buffer_size", "proxy_connect_timeout",
            "proxy_download_rate", "proxy_upload_rate", "proxy_half_close", "proxy_next_upstream",
            "proxy_next_upstream_timeout", "proxy_next_upstream_tries", "proxy_protocol", "proxy_requests",
            "proxy_responses", "proxy_session_drop", "proxy_socket_keepalive", "proxy_timeout",
            "proxy_ssl_conf_command", "proxy_ssl_password_file", "proxy_protocol_timeout", "server_name", "server_names_hash_bucket_size",
            "server_names_hash_max_size", "tcp_nodelay", "variables_hash_bucket_size", "variables_hash_max_size",
            "set_real_ip_from", "access_log", "log_format", "open_log_file_cache", "error_log", "allow", "deny",
            "geo", "geoip_country", "geoip_city", "geoip_org", "map", "map_hash_bucket_size", "map_hash_max_size",
            "pass", "return", "set",
            "split_clients", "ssl_password_file", "ssl_early_data",
            "ssl_reject_handshake", "js_access", "js_filter",
            "js_import", "js_path", "js_preread", "js_set", "js_var", "zone", "hash", "least_conn", "random",
            "least_time", "resolve", "state", "health_check", "health_check_timeout", "match", "keyval",
            "keyval_zone", "mqtt", "mqtt_preread", "mqtt_buffers", "upstream_conf", "status_zone", "include");

    static final Set<String> HTTP = names(
            "server", "listen", "server_name", "location", "upstream", "root", "alias", "index", "try_files",
            "rewrite", "return", "if", "set", "break", "default_type", "types",
            "sendfile", "tcp_nopush", "tcp_nodelay", "gzip", "gzip_types", "gzip_vary", "gzip_proxied",
            "gzip_comp_level", "gzip_min_length", "gzip_disable", "gzip_http_version", "gzip_buffers",
            "keepalive_timeout", "keepalive_requests", "keepalive_time", "client_max_body_size",
            "client_body_buffer_size", "client_body_timeout", "client_header_timeout", "send_timeout",
            "server_tokens", "charset", "expires", "add_header",
            "more_set_headers", "autoindex", "limit_rate", "allow", "deny", "auth_request",
            "access_log", "log_format", "open_file_cache", "map",
            "geo", "split_clients", "types_hash_max_size", "server_names_hash_bucket_size",
            "server_names_hash_max_size", "variables_hash_max_size", "merge_slashes", "absolute_redirect",
            "port_in_redirect",
            "server_name_in_redirect", "lingering_close", "lingering_time",
            "lingering_timeout", "sub_filter", "ssi", "real_ip_header", "real_ip_recursive",
            "set_real_ip_from", "proxy_pass", "proxy_set_header", "proxy_http_version", "proxy_buffering",
            "proxy_buffers", "proxy_buffer_size", "proxy_busy_buffers_size", "proxy_cache", "proxy_cache_path",
            "proxy_cache_valid", "proxy_cache_key", "proxy_cache_bypass", "proxy_no_cache", "proxy_connect_timeout",
            "proxy_read_timeout", "proxy_send_timeout", "proxy_redirect", "proxy_hide_header", "proxy_pass_header",
            "proxy_ignore_headers", "proxy_next_upstream", "proxy_next_upstream_tries",
            "proxy_next_upstream_timeout", "proxy_request_buffering", "proxy_ssl_password_file",
            "proxy_ssl_conf_command", "proxy_cookie_domain", "proxy_cookie_path", "proxy_bind",
            "proxy_max_temp_file_size", "proxy_temp_path", "proxy_headers_hash_max_size", "proxy_socket_keepalive",
            "fastcgi_pass", "fastcgi_param", "fastcgi_index", "uwsgi_pass", "grpc_pass", "scgi_pass", "memcached_pass",
            "ssl_certificate", "ssl_certificate_key", "ssl_protocols", "ssl_ciphers", "ssl_prefer_server_ciphers",
            "ssl_session_cache", "ssl_session_timeout", "ssl_session_tickets",
            "ssl_password_file",
            "ssl", "http2", "http3", "quic_retry", "keepalive", "keepalive_timeout", "zone", "hash", "ip_hash",
            "least_conn",
            "random", "sticky", "ntlm", "queue", "state", "health_check", "stub_status", "mirror", "js_content",
            "js_import", "js_set", "perl", "dav_methods", "aio", "directio", "output_buffers", "postpone_output",
            "chunked_transfer_encoding", "etag", "if_modified_since", "log_not_found",
            "log_subrequest", "open_log_file_cache", "uninitialized_variable_warn", "msie_padding",
            "proxy_protocol_timeout", "include", "default_server", "status_zone", "api");
}
