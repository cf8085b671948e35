/**
 * The client address of an HTTP request and the forwarding headers sent upstream, as plain Java
 * policies without Netty types (DESIGN.md).
 *
 * <ul>
 *   <li>{@link dev.proxyline.server.http.realip.RealIp}: nginx's realip module ({@code set_real_ip_from},
 *       {@code real_ip_header}, {@code real_ip_recursive}), giving {@code $remote_addr},
 *       {@code $remote_port}, {@code $realip_remote_addr} and {@code $realip_remote_port}.</li>
 *   <li>{@link dev.proxyline.server.http.realip.ForwardedHeaders}: X-Real-IP, X-Forwarded-*, X-Request-ID,
 *       X-Original-URI and RFC 7239 Forwarded, as ingress-nginx sends them, except that a client's own
 *       forwarding headers count only when that client is trusted.</li>
 *   <li>{@link dev.proxyline.server.http.realip.Headers}: the ordered, case-insensitive header list both use.</li>
 * </ul>
 *
 * <p>Where proxyline deliberately differs from nginx: IPv4 octets with leading zeros ({@code 010.0.0.1})
 * are malformed rather than decimal, and an empty list entry (as in {@code ",a"}) ends the walk.
 */
package dev.proxyline.server.http.realip;
