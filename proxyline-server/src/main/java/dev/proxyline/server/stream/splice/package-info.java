/**
 * Zero-copy relaying for the {@code stream} context: once a plaintext relay on the epoll transport
 * moves more than one buffer at a time, both sockets are taken from the buffered relay (from Netty's
 * channels by {@link dev.proxyline.server.stream.splice.SpliceHandOver}, or from the raw relay's epoll
 * registrations) and a {@link dev.proxyline.server.stream.splice.SplicedRelay} moves the bytes with
 * splice(2) through one pipe per direction. {@code SpliceDirection} (when to read, write, wait or pass
 * the FIN on) and {@link dev.proxyline.server.stream.splice.SpliceTrigger} (when to switch) are plain Java.
 */
package dev.proxyline.server.stream.splice;
