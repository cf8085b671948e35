/**
 * Sockets and threads: {@link dev.proxyline.server.transport.Transport} picks epoll or NIO,
 * {@link dev.proxyline.server.transport.EventLoops} sizes the thread groups from {@code worker_processes}
 * ({@link dev.proxyline.server.transport.WorkerThreads}), {@link dev.proxyline.server.transport.ListenerBootstrap}
 * binds {@code listen} sockets and {@link dev.proxyline.server.transport.UpstreamBootstrap} connects upstreams
 * on the event loop of the client they serve.
 */
package dev.proxyline.server.transport;
