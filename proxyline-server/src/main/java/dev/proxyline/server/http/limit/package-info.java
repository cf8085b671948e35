/**
 * Request rate limiting with nginx's limit_req semantics, as plain Java without Netty types: {@link
 * dev.proxyline.server.http.limit.LeakyBucketZone} keeps a leaky bucket per key, shared by every event loop, and
 * {@link dev.proxyline.server.http.limit.RateLimits} checks a location's limits against their zones and says
 * whether a request passes, waits (and how long) or is refused. Time comes from an injected millisecond clock.
 */
package dev.proxyline.server.http.limit;
