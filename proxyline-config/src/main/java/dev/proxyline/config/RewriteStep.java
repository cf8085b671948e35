package dev.proxyline.config;

/**
 * One directive of nginx's rewrite module in a server or location block ({@code set}, {@code rewrite},
 * {@code break}, {@code if}, and where {@code return} stands among them), kept in the block's order: a request runs
 * them in that order, each seeing what the ones before it did. Not inherited by nested locations, as in nginx.
 */
public sealed interface RewriteStep permits SetRule, RewriteRule, BreakRule, ReturnMarker, IfRule {
    Position position();
}
