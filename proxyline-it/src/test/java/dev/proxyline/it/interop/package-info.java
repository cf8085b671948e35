/**
 * The PROXY protocol codec against the real peers: headers written by nginx, HAProxy and curl read
 * by our decoder; headers written by our encoder read by nginx and HAProxy; and the two classic
 * misconfigurations as those peers show them. docs/interop.md records the results.
 */
package dev.proxyline.it.interop;
