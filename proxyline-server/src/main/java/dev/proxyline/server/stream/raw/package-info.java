/**
 * The stream proxy on raw descriptors: plain-TCP stream listeners on the epoll transport accept, read the
 * PROXY header, connect and relay on sockets registered straight with the worker's epoll event loop,
 * without a Netty channel and pipeline per socket, which is what a short connection's cost was made of
 * (docs/benchmarks.md, "Where the remaining gaps come from"). The Netty path in the parent package stays
 * for the NIO transport and for stages that need a pipeline.
 */
package dev.proxyline.server.stream.raw;
