/**
 * proxyline as the ingress ({@code http {}} with {@code listen … proxy_protocol}) between the real
 * peers: nginx stream, HAProxy and curl send the PROXY protocol to it, it hands the client on to an
 * app ({@link dev.proxyline.it.harness.HttpBackend}) in {@code X-Real-IP} / {@code X-Forwarded-For}
 * and logs it as {@code $remote_addr}; the two misconfigurations as the ingress sees them; and the
 * other way round, proxyline's balancer in front of an ingress-nginx-like nginx.
 */
package dev.proxyline.it.ingress;
