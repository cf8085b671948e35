/**
 * Sockets and threads: {@link dev.proxyline.server.transport.Transport} picks epoll (with a fix for a
 * Netty half-close defect) or NIO, {@link dev.proxyline.server.transport.EventLoops} sizes the thread
 * groups from {@code worker_processes} ({@link dev.proxyline.server.transport.WorkerThreads}) and
 * applies {@code worker_connections} ({@link dev.proxyline.server.transport.WorkerConnections}),
 * {@link dev.proxyline.server.transport.ListenerBootstrap} binds {@code listen} sockets (one per worker
 * with {@code reuseport} on epoll) and {@link dev.proxyline.server.transport.UpstreamBootstrap} connects
 * upstreams on the event loop of the client they serve.
 */
package dev.proxyline.server.transport;
