package dev.proxyline.server.http.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Requests the ingress answered with an error of its own, counted by reason; shared by every event loop. */
public final class HttpCounters {
    /** Why the ingress answered (or closed) instead of the upstream. */
    public enum Reason {
        /** 400: malformed request line, headers, Host or path. */
        BAD_REQUEST,
        /** Not refused: fields whose names nginx ignores were dropped ({@code ignore_invalid_headers on}). */
        INVALID_HEADER,
        /** 400: {@code ssl_verify_client}: no client certificate, or one that did not verify. */
        CLIENT_CERTIFICATE,
        /** 408: the client was too slow with its header or body. */
        CLIENT_TIMEOUT,
        /** {@code send_timeout}: the client took none of the response for that long; its connection was cut. */
        SEND_TIMEOUT,
        /** 413: the body exceeds {@code client_max_body_size}. */
        BODY_TOO_LARGE,
        /** 502: no upstream could be connected, or it closed or reset before its response. */
        UPSTREAM_FAILED,
        /** 502: the TLS handshake with the upstream failed, or its certificate did not verify. */
        UPSTREAM_TLS,
        /** 502: the upstream's response header was malformed. */
        UPSTREAM_BAD_RESPONSE,
        /** 504: {@code proxy_connect_timeout} or {@code proxy_read_timeout} passed. */
        UPSTREAM_TIMEOUT,
        /**
         * {@code limit_conn_status} or {@code limit_req_status} (503): more requests in progress for the key than
         * {@code limit_conn} allows, or a key further ahead of its {@code limit_req} rate than its burst.
         */
        LIMITED,
        /** 403: {@code allow}/{@code deny} refused the client, or its {@code auth_basic_user_file} does not exist. */
        FORBIDDEN,
        /** 401: {@code auth_basic}: no credentials, an unknown user or a wrong password. */
        UNAUTHORIZED,
        /** 500: the {@code auth_basic_user_file} could not be read. */
        USER_FILE_UNREADABLE,
        /** 499: the client closed its side while its request was proxied ({@code proxy_ignore_client_abort off}). */
        CLIENT_ABORTED,
        /** 500: {@code rewrite}s and {@code error_page} redirects changed the URI more than ten times. */
        REWRITE_CYCLE,
        /** 500: an {@code error_page} names a location {@code @name} that its server does not have. */
        NO_NAMED_LOCATION,
        /** 500: a {@code proxy_pass} with variables expanded to no URL (a wrong scheme, no host, a bad port). */
        BAD_PROXY_URL,
        /** 502: the host of a {@code proxy_pass} with variables could not be looked up, or there is no resolver. */
        UPSTREAM_UNRESOLVED
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    public HttpCounters() {
        for (Reason r : Reason.values()) counts.put(r, new LongAdder());
    }

    void count(Reason reason) {
        counts.get(reason).increment();
    }

    /** How many times {@code reason} happened. */
    public long get(Reason reason) {
        return counts.get(reason).sum();
    }
}
