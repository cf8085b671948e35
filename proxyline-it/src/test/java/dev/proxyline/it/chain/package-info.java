/**
 * proxyline itself between the real peers: the L4 balancer started in-process in front of nginx and
 * HAProxy (sending the PROXY protocol) and behind them and curl (receiving it), the two
 * misconfigurations as each side shows them, and the example configurations. Client, peers and
 * proxyline each have their own loopback address ({@link dev.proxyline.it.harness.Loopback}).
 */
package dev.proxyline.it.chain;
