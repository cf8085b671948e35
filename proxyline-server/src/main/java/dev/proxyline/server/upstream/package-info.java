/**
 * nginx's {@code upstream} semantics as plain Java, with no Netty types: server groups, balancing,
 * passive health and {@code proxy_next_upstream} bookkeeping. The Netty code in {@code stream} and
 * {@code http} wires it to sockets; the configuration module's model is adapted to {@link
 * dev.proxyline.server.upstream.PeerSpec} and {@link dev.proxyline.server.upstream.BalancingMethod}
 * by the runtime.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * UpstreamGroup group = UpstreamGroup.create("backend", specs, new BalancingMethod.Hash(true),
 *         System::nanoTime, new SplittableRandom());
 * AttemptSequence attempts = group.begin(clientIp, NextUpstreamPolicy.httpDefault());
 * Selection selection = attempts.next();
 * // Chosen -> connect; on failure attempts.fail(kind) says Retry (call next() again) or Stop.
 * // When the connection or request ends normally: attempts.succeed().
 * // attempts.upstreamAddr() is $upstream_addr, attempts.tried() says why each peer failed.
 * }</pre>
 *
 * <h2>Algorithms (all as nginx 1.22 implements them; hash choices are checked against it)</h2>
 * <ul>
 *   <li><b>round-robin</b>: smooth weighted round-robin; failures lower a peer's effective weight by
 *       {@code weight / max_fails}, which recovers by one per round.</li>
 *   <li><b>least_conn</b>: lowest {@code conns / weight}; ties by smooth weighted round-robin.</li>
 *   <li><b>hash KEY</b>: CRC-32 based, rehashing past unavailable peers, round-robin after 20 probes.</li>
 *   <li><b>hash KEY consistent</b>: ketama-style ring of CRC-32 points, 160 per unit of weight.</li>
 *   <li><b>random [two]</b>: weighted draw; {@code two} keeps the less loaded of two draws.</li>
 * </ul>
 *
 * <h2>Passive health</h2>
 * {@code max_fails} failures within {@code fail_timeout} make a server unavailable for
 * {@code fail_timeout}; {@code max_fails=0} disables that; a group's only server is never made
 * unavailable; {@code down} servers are never chosen; {@code backup} servers are used once no primary
 * server is usable (refused with {@code hash} and {@code random}, as nginx refuses them). When no
 * server at all can be chosen the attempt ends with "no live upstreams" and, as nginx does, the
 * failure counts are cleared so the next connection probes the servers again.
 *
 * <h2>Differences from nginx, on purpose</h2>
 * <ul>
 *   <li>Time is the injected nanosecond clock; nginx counts whole seconds, so its {@code fail_timeout}
 *       windows are up to a second longer.</li>
 *   <li>Connection counts are shared by all threads of the process, as in nginx with a shared
 *       {@code zone}; without a zone each nginx worker counts alone.</li>
 *   <li>Weights are limited to {@value dev.proxyline.server.upstream.PeerSpec#MAX_WEIGHT} to bound the
 *       size of the consistent hash ring.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * One lock per group guards all peer state (see {@link dev.proxyline.server.upstream.UpstreamGroup});
 * an {@link dev.proxyline.server.upstream.AttemptSequence} belongs to one connection and is not
 * thread-safe. No class here keeps static mutable state.
 */
package dev.proxyline.server.upstream;
