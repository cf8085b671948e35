package dev.proxyline.config;

import java.util.Objects;

/** What {@code proxy_pass} points at: a named upstream group or one endpoint. */
public sealed interface ProxyTarget {
    record UpstreamRef(String name) implements ProxyTarget {
        public UpstreamRef {
            Objects.requireNonNull(name, "name");
        }
    }

    record Direct(Endpoint endpoint) implements ProxyTarget {
        public Direct {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }
}
