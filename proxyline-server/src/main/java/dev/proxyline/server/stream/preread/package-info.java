/**
 * {@code ssl_preread}: reading a client's TLS ClientHello before the upstream is chosen, without consuming it.
 * {@link dev.proxyline.server.stream.preread.ClientHelloParser} is the pure, bounded parser;
 * {@link dev.proxyline.server.stream.preread.PrereadBuffer} holds the bytes and judges them with nginx's rules (the
 * raw session uses it directly); {@link dev.proxyline.server.stream.preread.SslPrereadHandler} is the stage on the
 * channel path.
 */
package dev.proxyline.server.stream.preread;
