package dev.proxyline.server.http.realip;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A node of an RFC 7239 {@code Forwarded} element ({@code for=}, {@code by=}): an IP address with
 * an optional port, an obfuscated identifier, or {@code unknown} (section 6).
 */
public sealed interface ForwardedNode {
    /** The node as it appears after {@code for=}, quoted where RFC 7239 requires it. */
    String render();

    /** An IP address, and a port unless it is 0. IPv6 is bracketed, and then always quoted. */
    record Ip(InetAddress address, int port) implements ForwardedNode {
        public Ip {
            Objects.requireNonNull(address, "address");
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " out of 0-65535");
        }

        @Override
        public String render() {
            String host = AddressText.ip(address);
            if (address instanceof Inet6Address) host = "[" + host + "]";
            String node = port == 0 ? host : host + ":" + port;
            // ':' and '[' are not token characters, so ports and IPv6 need a quoted-string.
            return ForwardedHeaders.tokenOrQuoted(node);
        }
    }

    /** An obfuscated identifier such as {@code _hidden} (RFC 7239 section 6.3: "_" then ALPHA / DIGIT / "." / "_" / "-"). */
    record Obfuscated(String id) implements ForwardedNode {
        public Obfuscated {
            Objects.requireNonNull(id, "id");
            if (id.length() < 2 || id.charAt(0) != '_' || !id.chars().skip(1).allMatch(Obfuscated::allowed)) {
                throw new IllegalArgumentException("obfuscated node \"" + id
                        + "\" (expected \"_\" followed by letters, digits, '.', '_' or '-')");
            }
        }

        private static boolean allowed(int c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        }

        @Override
        public String render() {
            return id;
        }
    }

    /** {@code unknown}: the address exists but is not known, such as a UNIX socket peer. */
    record Unknown() implements ForwardedNode {
        @Override
        public String render() {
            return "unknown";
        }
    }
}
