package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/** What a location (or server) does with a request. */
public sealed interface HttpAction {
    /**
     * {@code proxy_pass http[s]://TARGET[/uri]}. {@code uri} present means nginx's "replace the matched
     * prefix" behaviour; absent means pass the request URI unchanged. With variables ({@link ProxyTarget.Computed})
     * the whole URL is the target's template, {@code uri} is empty, and {@code scheme} is the one written before the
     * first variable, or empty where a variable gives it (each request's URL decides).
     */
    record ProxyPass(String scheme, ProxyTarget target, Optional<String> uri) implements HttpAction {
        public ProxyPass {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** {@code return CODE [TEXT|URL]} or {@code return URL} (302). */
    record Return(int code, Optional<String> textOrUrl) implements HttpAction {
        public Return {
            Objects.requireNonNull(textOrUrl, "textOrUrl");
            if (code < 0 || code > 999) throw new IllegalArgumentException("code " + code);
        }
    }
}
