package dev.proxyline.config;

import static dev.proxyline.config.Context.HTTP;
import static dev.proxyline.config.Context.HTTP_LOCATION;
import static dev.proxyline.config.Context.HTTP_SERVER;
import static dev.proxyline.config.Context.MAIN;
import static dev.proxyline.config.Context.STREAM;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * nginx directives that tune only what proxyline does not do (serve files, buffer to disk, size nginx's own hash
 * tables, load modules it has built in), or that ask for what proxyline does anyway ({@code tcp_nodelay}), so that
 * a configuration written for nginx runs without them: each is accepted where nginx accepts it, with a warning that
 * it has no effect, and dropped. Directives whose absence would change what a
 * client or an upstream sees are not here; they stay errors.
 */
final class NoEffectDirectives {
    private static final String FILES = "proxyline serves no files";
    private static final String HASHES = "proxyline sizes its tables itself";
    private static final String STREAMS = "proxyline streams bodies with back-pressure and writes nothing to disk";

    private final Map<String, Row> rows = new HashMap<>();

    private record Row(Set<Context> contexts, String reason) {}

    static NoEffectDirectives standard() {
        NoEffectDirectives t = new NoEffectDirectives();
        Set<Context> http = EnumSet.of(HTTP, HTTP_SERVER, HTTP_LOCATION);
        for (String name : new String[] {"sendfile", "sendfile_max_chunk", "tcp_nopush", "aio", "aio_write",
                "directio", "directio_alignment", "output_buffers", "open_file_cache", "open_file_cache_errors",
                "open_file_cache_min_uses", "open_file_cache_valid", "types", "default_type", "types_hash_max_size",
                "types_hash_bucket_size"}) {
            t.add(name, http, FILES);
        }
        for (String name : new String[] {"server_names_hash_max_size", "server_names_hash_bucket_size",
                "proxy_headers_hash_max_size", "proxy_headers_hash_bucket_size"}) {
            t.add(name, http, HASHES);
        }
        for (String name : new String[] {"variables_hash_max_size", "variables_hash_bucket_size",
                "map_hash_max_size", "map_hash_bucket_size"}) {
            t.add(name, EnumSet.of(HTTP, STREAM), HASHES);
        }
        t.add("gzip_buffers", http, "proxyline compresses into buffers of its own");
        for (String name : new String[] {"proxy_buffering", "proxy_buffers", "proxy_buffer_size",
                "proxy_busy_buffers_size", "proxy_max_temp_file_size", "proxy_temp_file_write_size", "proxy_temp_path",
                "client_body_buffer_size", "client_body_temp_path", "fastcgi_temp_path", "uwsgi_temp_path",
                "scgi_temp_path"}) {
            t.add(name, http, STREAMS);
        }
        t.add("proxy_request_buffering", http, "proxyline streams request bodies as they come, as with off; "
                + "see proxy_next_upstream for what that means for retries");
        t.add("tcp_nodelay", http, "proxyline sets TCP_NODELAY on every connection");
        t.add("server_tokens", http, "proxyline's own responses carry no version");
        t.add("log_subrequest", http, "proxyline makes no subrequests: it has no auth_request, SSI or mirror");
        t.add("load_module", EnumSet.of(MAIN), "proxyline has its stream and http modules built in");
        t.add("pcre_jit", EnumSet.of(MAIN), "proxyline's regular expressions are Java's");
        return t;
    }

    private void add(String name, Set<Context> contexts, String reason) {
        rows.put(name, new Row(Set.copyOf(contexts), reason));
    }

    /** The warning for {@code directive} in {@code context}, if it is one of these there. */
    Optional<String> warning(Directive directive, Context context) {
        Row row = rows.get(directive.name());
        if (row == null || !row.contexts().contains(context)) {
            return Optional.empty();
        }
        return Optional.of("\"" + directive.name() + "\" has no effect in proxyline (" + row.reason() + "); ignored");
    }
}
