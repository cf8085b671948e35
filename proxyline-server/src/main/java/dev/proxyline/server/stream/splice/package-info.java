/**
 * Zero-copy relaying for the {@code stream} context: once a plaintext relay on the epoll transport
 * moves more than one buffer at a time, {@link dev.proxyline.server.stream.splice.SpliceHandOver} takes
 * both sockets away from Netty's buffered channels and a
 * {@link dev.proxyline.server.stream.splice.SplicedRelay} moves the bytes with splice(2) through one pipe
 * per direction. {@code SpliceDirection} (when to read, write, wait or pass the FIN on) and
 * {@link dev.proxyline.server.stream.splice.SpliceTrigger} (when to switch) are plain Java.
 */
package dev.proxyline.server.stream.splice;
