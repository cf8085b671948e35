package dev.proxyline.cli;

import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.Endpoints;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code pp encode} request, its fields read and type-checked but not yet combined: what the
 * vectors' {@code input} objects say. {@link #toHeader()} decides what header they describe.
 *
 * @param family the {@code family} field, when given
 * @param transport the {@code transport} field, when given
 * @param src source IP literal or AF_UNIX path, when given
 * @param srcPort source port, already checked to be 0-65535, when given
 * @param crc32c whether to add a CRC32C TLV (first, as HAProxy does) unless {@code tlvs} has one
 * @param tlvs the TLVs in the order given
 */
record EncodeRequest(
        ProtocolVersion version,
        Command command,
        Optional<RequestFamily> family,
        Optional<TransportProtocol> transport,
        Optional<String> src,
        Optional<Integer> srcPort,
        Optional<String> dst,
        Optional<Integer> dstPort,
        boolean crc32c,
        List<Tlv> tlvs) {

    EncodeRequest {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(srcPort, "srcPort");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(dstPort, "dstPort");
        tlvs = List.copyOf(tlvs);
    }

    /** The values of the {@code family} field; the IP ones may also fix the transport. */
    enum RequestFamily {
        TCP4(AddressFamily.INET, TransportProtocol.STREAM),
        UDP4(AddressFamily.INET, TransportProtocol.DGRAM),
        TCP6(AddressFamily.INET6, TransportProtocol.STREAM),
        UDP6(AddressFamily.INET6, TransportProtocol.DGRAM),
        INET(AddressFamily.INET, null),
        INET6(AddressFamily.INET6, null),
        UNIX(AddressFamily.UNIX, null),
        UNSPEC(AddressFamily.UNSPEC, null),
        /** The v1 spelling of {@link #UNSPEC}. */
        UNKNOWN(AddressFamily.UNSPEC, null);

        final AddressFamily addressFamily;
        final TransportProtocol impliedTransport;

        RequestFamily(AddressFamily addressFamily, TransportProtocol impliedTransport) {
            this.addressFamily = addressFamily;
            this.impliedTransport = impliedTransport;
        }
    }

    /**
     * The header this request describes.
     *
     * <ul>
     *   <li>v2 {@code LOCAL}: no addresses, family UNSPEC, as HAProxy sends health checks; a LOCAL
     *       sender "should not present any address", so any given are ignored.
     *   <li>v1 {@code LOCAL}: v1 has no LOCAL command. The specification wants a health check to
     *       "build a valid PROXY line" with its real address pair, as HAProxy does, so given
     *       addresses are sent as a PROXY line; without them it is {@code PROXY UNKNOWN}.
     *   <li>family UNSPEC/UNKNOWN, or no addresses at all: a PROXY header without addresses
     *       (v1 {@code PROXY UNKNOWN}).
     *   <li>family UNIX, or two paths (not IP literals; containing a {@code /} or starting with
     *       {@code @} or NUL): AF_UNIX, each path sent as its UTF-8 bytes; ports are ignored.
     *   <li>transport UNSPEC: an unknown protocol, sent without addresses like family UNSPEC.
     *   <li>otherwise two IP literals; mixed IPv4 and IPv6, or IPv4 with family TCP6/UDP6, are sent
     *       as IPv6 with IPv4-mapped addresses.
     * </ul>
     *
     * @throws InputException if the fields do not go together
     */
    ProxyHeader toHeader() {
        List<Tlv> all = withCrc32c();
        boolean addresses = src.isPresent() || dst.isPresent();
        if (command == Command.LOCAL && (version == ProtocolVersion.V2 || !addresses)) {
            return ProxyHeader.local(version, all);
        }
        AddressFamily addressFamily = family.map(f -> f.addressFamily).orElse(null);
        if (addressFamily == AddressFamily.UNSPEC || (addressFamily == null && !addresses)) {
            if (addressFamily == null && (srcPort.isPresent() || dstPort.isPresent())) {
                throw invalid("srcPort and dstPort need src and dst");
            }
            return ProxyHeader.unknown(version, all);
        }
        String source = src.orElseThrow(() -> invalid("src is missing (give src and dst, or family UNSPEC for no addresses)"));
        String destination = dst.orElseThrow(() -> invalid("dst is missing (give src and dst, or family UNSPEC for no addresses)"));
        if (addressFamily == AddressFamily.UNIX || (addressFamily == null && isPath(source) && isPath(destination))) {
            return unix(source, destination, all);
        }
        return inet(source, destination, addressFamily, all);
    }

    /** The TLVs with a CRC32C placeholder in front, when one is asked for and none is given. */
    private List<Tlv> withCrc32c() {
        if (!crc32c || tlvs.stream().anyMatch(Tlv.Crc32c.class::isInstance)) {
            return tlvs;
        }
        List<Tlv> all = new ArrayList<>(tlvs.size() + 1);
        all.add(Tlv.Crc32c.PLACEHOLDER);
        all.addAll(tlvs);
        return all;
    }

    /** AF_UNIX has no ports: any given (range-checked by the parser) have nowhere to go. */
    private ProxyHeader unix(String source, String destination, List<Tlv> all) {
        Endpoints.Unix endpoints = new Endpoints.Unix(path(source, "src"), path(destination, "dst"));
        TransportProtocol chosen = transportOr(TransportProtocol.STREAM);
        if (chosen == TransportProtocol.UNSPEC) {
            return ProxyHeader.unknown(version, all);
        }
        return ProxyHeader.unix(version, chosen, endpoints, all);
    }

    private static Bytes path(String path, String what) {
        Bytes bytes = Bytes.of(path, StandardCharsets.UTF_8);
        if (bytes.length() > Endpoints.Unix.MAX_PATH_LENGTH) {
            throw new InputException(Reason.PATH_TOO_LONG.label(), what + " path is " + bytes.length()
                    + " bytes in UTF-8 (expected at most " + Endpoints.Unix.MAX_PATH_LENGTH + ", the size of sun_path)");
        }
        return bytes;
    }

    private ProxyHeader inet(String source, String destination, AddressFamily forced, List<Tlv> all) {
        InetAddress sourceAddress = literal(source, "src");
        InetAddress destinationAddress = literal(destination, "dst");
        int sourcePort = srcPort.orElseThrow(() -> invalid("srcPort is missing (IP endpoints need ports)"));
        int destinationPort = dstPort.orElseThrow(() -> invalid("dstPort is missing (IP endpoints need ports)"));
        if (forced == AddressFamily.INET) {
            for (InetAddress address : List.of(sourceAddress, destinationAddress)) {
                if (!(address instanceof Inet4Address)) {
                    throw invalid("family " + family.orElseThrow() + " needs IPv4 addresses, got "
                            + InetLiterals.format(address) + " (use TCP6/UDP6, or leave family out)");
                }
            }
        } else if (forced == AddressFamily.INET6) {
            sourceAddress = InetLiterals.toIpv6(sourceAddress);
            destinationAddress = InetLiterals.toIpv6(destinationAddress);
        }
        TransportProtocol chosen = transportOr(TransportProtocol.STREAM);
        if (chosen == TransportProtocol.UNSPEC) {
            // An unknown protocol "must be reported with UNKNOWN" (v1), family UNSPEC (v2): no addresses.
            return ProxyHeader.unknown(version, all);
        }
        return ProxyHeader.proxy(version, chosen, new InetSocketAddress(sourceAddress, sourcePort),
                new InetSocketAddress(destinationAddress, destinationPort), all);
    }

    /** The transport given or implied by the family; {@code otherwise} when neither says. */
    private TransportProtocol transportOr(TransportProtocol otherwise) {
        TransportProtocol implied = family.map(f -> f.impliedTransport).orElse(null);
        if (implied != null && transport.isPresent() && transport.get() != implied) {
            throw invalid("family " + family.get() + " implies transport " + implied + ", not " + transport.get());
        }
        return implied != null ? implied : transport.orElse(otherwise);
    }

    private static InetAddress literal(String text, String what) {
        return InetLiterals.parse(text).orElseThrow(() -> new InputException(Failure.INVALID_ADDRESS,
                what + " is not an IPv4 or IPv6 address literal: \"" + text + "\" (expected e.g. 192.0.2.1 or 2001:db8::1,"
                        + " no names, zone ids or brackets; give family UNIX for an AF_UNIX path)"));
    }

    /**
     * An AF_UNIX path, as opposed to a mistyped IP literal: it names a directory, or it starts the
     * way abstract socket names are written (NUL, or {@code @} as {@code ss} shows them). Either
     * way the text is sent as is; nothing is translated.
     */
    private static boolean isPath(String text) {
        boolean pathLike = text.indexOf('/') >= 0 || text.startsWith("@") || text.startsWith("\0");
        return pathLike && InetLiterals.parse(text).isEmpty();
    }

    private static InputException invalid(String message) {
        return new InputException(Failure.INVALID_INPUT, message);
    }
}
