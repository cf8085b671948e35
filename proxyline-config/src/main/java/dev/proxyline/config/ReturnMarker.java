package dev.proxyline.config;

import java.util.Objects;

/**
 * Where the block's {@code return} stands among its other rewrite-module directives: the request reaches it only if
 * no {@code break}, {@code rewrite ... last|break} or redirect before it stopped them, as in nginx. The return itself
 * is the block's action ({@link HttpAction.Return}); a block without other such directives has no marker.
 */
public record ReturnMarker(Position position) implements RewriteStep {
    public ReturnMarker {
        Objects.requireNonNull(position, "position");
    }
}
