/**
 * Configuration to runtime: plain functions that turn the validated configuration model into the
 * objects the stream runtime uses, tested without a network.
 *
 * <ul>
 *   <li>{@link dev.proxyline.server.runtime.RuntimePlanner} builds a
 *       {@link dev.proxyline.server.runtime.RuntimePlan} per stream server: listeners with their PROXY
 *       receive settings, the upstream group and hash key, the PROXY header to send, access logs.</li>
 *   <li>{@link dev.proxyline.server.runtime.UpstreamGroups}: {@code upstream} blocks to groups; host
 *       names resolved once, at startup, every address a peer.</li>
 *   <li>{@link dev.proxyline.server.runtime.TrustPolicies}: {@code listen ... proxy_protocol},
 *       {@code set_real_ip_from}, {@code proxy_protocol_policy} and {@code proxy_protocol_timeout} to
 *       receive settings with nginx's semantics: a header is required from every source, and only
 *       trusted sources may set the client address.</li>
 *   <li>{@link dev.proxyline.server.runtime.ProxyHeaderBuilder}: {@code proxy_protocol on} with version,
 *       TLVs and CRC32C to a header per session, announcing the original client when it was trusted.</li>
 * </ul>
 *
 * <p>Glue, in outline: build a {@code VariableTable}, plan, register each plan's access logs with one
 * {@code AccessLogWriter}, bind each {@code ListenerPlan} (adding a {@code ProxyReceiveStage} for
 * those with receive settings), and per session: snapshot after the PROXY stage,
 * {@code plan.upstream().begin(() -> snapshot)}, {@code new ProxyHeaderSender(send.headerFor(snapshot))},
 * and at the end {@code sessionLog.log(finalSnapshot)}.
 */
package dev.proxyline.server.runtime;
