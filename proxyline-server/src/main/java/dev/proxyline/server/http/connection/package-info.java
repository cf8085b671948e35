/**
 * The connection stages of an http socket after the PROXY stage: TLS with SNI, then HTTP/1.1 or HTTP/2
 * (ALPN over TLS, the preface for h2c), ending in the request stage's handler with an
 * {@link dev.proxyline.server.http.HttpConnection}. The one entry point is
 * {@link dev.proxyline.server.http.connection.HttpConnectionStages}; handler names are in
 * {@link dev.proxyline.server.http.connection.ConnectionStageNames}.
 */
package dev.proxyline.server.http.connection;
