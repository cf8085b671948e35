package dev.proxyline.server.http.proxy;

import dev.proxyline.server.upstream.FailureKind;
import java.util.Optional;

/** The response statuses that {@code proxy_next_upstream} can name ({@code http_500} …), as failure kinds. */
final class NextUpstreamStatus {
    private NextUpstreamStatus() {}

    /** The kind a response with {@code status} is when listed, or empty for a status no condition names. */
    static Optional<FailureKind> of(int status) {
        return Optional.ofNullable(switch (status) {
            case 500 -> FailureKind.HTTP_500;
            case 502 -> FailureKind.HTTP_502;
            case 503 -> FailureKind.HTTP_503;
            case 504 -> FailureKind.HTTP_504;
            case 403 -> FailureKind.HTTP_403;
            case 404 -> FailureKind.HTTP_404;
            case 429 -> FailureKind.HTTP_429;
            default -> null;
        });
    }
}
