/**
 * Request routing with nginx's semantics, as plain Java without Netty types: {@link
 * dev.proxyline.server.http.routing.VirtualHosts} picks the {@code server} block for a Host header or SNI
 * name on one listen socket, {@link dev.proxyline.server.http.routing.UriPath} normalises the request path,
 * and {@link dev.proxyline.server.http.routing.LocationRouter} picks the {@code location}. Everything is
 * compiled when the routers are built, so a lookup allocates nothing except what java.util.regex needs.
 */
package dev.proxyline.server.http.routing;
