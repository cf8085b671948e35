package dev.proxyline.config;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses {@code proxy_protocol_tlv TYPE VALUE}. Only types proxyline may set from configuration are
 * accepted: the registered alpn, authority, unique_id and netns, and the custom range 0xE0-0xEF. Types
 * proxyline computes itself (crc32c, noop, ssl) are rejected with a pointer to the right directive.
 */
final class TlvParser {
    /** The PROXY v2 spec caps unique_id at 128 bytes. */
    static final int UNIQUE_ID_MAX = 128;

    private final ArgReader r;

    TlvParser(ArgReader r) {
        this.r = r;
    }

    Optional<Tlv> parse(Directive d) {
        Argument typeArg = d.arg(0);
        Argument valueArg = d.arg(1);
        OptionalInt type = type(typeArg);
        if (type.isEmpty()) return Optional.empty();
        String value = valueArg.value();
        if (!valueArg.hasVariables()) {
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (type.getAsInt() == Tlv.UNIQUE_ID && bytes > UNIQUE_ID_MAX) {
                r.error(valueArg, "unique_id TLV value is " + bytes + " bytes; the PROXY spec allows at most " + UNIQUE_ID_MAX);
                return Optional.empty();
            }
            if (bytes > 0xFFFF - 16) {
                r.error(valueArg, "TLV value too long (" + bytes + " bytes)");
                return Optional.empty();
            }
            if (value.isEmpty()) {
                r.error(valueArg, "empty TLV value");
                return Optional.empty();
            }
        }
        return Optional.of(new Tlv(type.getAsInt(), value));
    }

    private OptionalInt type(Argument a) {
        String s = a.value().toLowerCase(Locale.ROOT);
        switch (s) {
            case "alpn": return OptionalInt.of(Tlv.ALPN);
            case "authority": return OptionalInt.of(Tlv.AUTHORITY);
            case "unique_id": return OptionalInt.of(Tlv.UNIQUE_ID);
            case "netns": return OptionalInt.of(Tlv.NETNS);
            case "crc32c":
                r.error(a, "TLV crc32c is computed by proxyline; use \"proxy_protocol_crc32c on\" instead");
                return OptionalInt.empty();
            default:
        }
        OptionalInt n = number(s);
        if (n.isEmpty()) {
            r.error(a, "unknown TLV type \"" + a.value() + "\" (expected alpn, authority, unique_id, netns or 0xE0-0xEF)");
            return n;
        }
        int t = n.getAsInt();
        if (t >= Tlv.CUSTOM_MIN && t <= Tlv.CUSTOM_MAX) return n;
        if (t == Tlv.ALPN || t == Tlv.AUTHORITY || t == Tlv.UNIQUE_ID || t == Tlv.NETNS) return n;
        String why = switch (t) {
            case 0x03 -> "crc32c is computed by proxyline; use \"proxy_protocol_crc32c on\"";
            case 0x04 -> "noop is padding that proxyline adds itself";
            case 0x20, 0x21, 0x22, 0x23, 0x24, 0x25 -> "SSL TLVs describe the client's TLS session and cannot be configured";
            default -> "expected alpn (0x01), authority (0x02), unique_id (0x05), netns (0x30) or 0xE0-0xEF";
        };
        r.error(a, String.format("TLV type 0x%02X is not allowed here (%s)", t, why));
        return OptionalInt.empty();
    }

    private static OptionalInt number(String s) {
        try {
            int v = s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
            return v >= 0 && v <= 0xFF ? OptionalInt.of(v) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
