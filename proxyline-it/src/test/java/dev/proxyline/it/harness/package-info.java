/**
 * Runs real peers (nginx, HAProxy, curl) next to Java code on loopback, for interop and, later,
 * end-to-end tests of proxyline itself.
 *
 * <p>Every peer is a child process with its configuration, pid, logs and temp files in the test's
 * temp directory; it is started on free loopback ports, waited for until it accepts, and stopped
 * by PID afterwards. Every wait is bounded. A missing peer fails the test when
 * {@code -Dinterop.required=true} (CI) and skips it with an install hint otherwise.
 */
package dev.proxyline.it.harness;
