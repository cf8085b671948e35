package dev.proxyline.server.http.proxy;

/**
 * The answer where a location has neither {@code proxy_pass} nor {@code return} for a request: nginx's static module
 * would look for a file, and proxyline has none. That module refuses every method but GET, HEAD and POST with 405
 * before it looks (an unknown method too), and finds no file for those three: 404.
 */
final class NothingToServe {
    private NothingToServe() {}

    /** 404 or 405 for a request with {@code method} as received. */
    static int status(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST" -> 404;
            default -> 405;
        };
    }
}
