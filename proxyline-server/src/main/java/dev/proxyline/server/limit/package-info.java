/**
 * What nginx's {@code limit_conn} modules share between http and stream, as plain Java without Netty types:
 * {@link dev.proxyline.server.limit.RequestCountZone} counts what is in progress per key for every event loop,
 * {@link dev.proxyline.server.limit.SessionLimits} checks the limits of a stream server (per session) or an http location (per request), and
 * {@link dev.proxyline.server.limit.LimitLines} writes their error-log lines at the configured level, rate-limited.
 */
package dev.proxyline.server.limit;
