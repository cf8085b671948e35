package dev.proxyline.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One PROXY protocol header, decoded or to be sent.
 *
 * <p>{@code family} and {@code transport} are what the header announces: a v2 {@code LOCAL} header
 * may announce {@code INET6} while its {@code endpoints} are {@link Endpoints.Unspecified}, since a
 * receiver must not use the addresses of a LOCAL header. An IPv4-mapped IPv6 address stays
 * {@code INET6}: the family is never inferred from the address objects.
 *
 * <p>{@code tlvs} are the v2 TLVs in wire order, CRC32C and NOOP included. When the bytes after the
 * addresses of a {@code LOCAL} or {@code UNSPEC} header do not form TLVs they are kept, uninterpreted,
 * in {@code opaqueBlock} (and {@code tlvs} is empty); otherwise {@code opaqueBlock} is empty.
 */
public record ProxyHeader(
        ProtocolVersion version,
        Command command,
        AddressFamily family,
        TransportProtocol transport,
        Endpoints endpoints,
        List<Tlv> tlvs,
        Bytes opaqueBlock) {

    public ProxyHeader {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(opaqueBlock, "opaqueBlock");
        tlvs = List.copyOf(tlvs);
        if (!opaqueBlock.isEmpty() && !tlvs.isEmpty()) {
            throw new IllegalArgumentException("a header has TLVs or an opaque block, not both");
        }
        if ((family == AddressFamily.UNSPEC) != (transport == TransportProtocol.UNSPEC) && version == ProtocolVersion.V2) {
            throw new IllegalArgumentException("v2 family " + family + " cannot go with transport " + transport);
        }
        requireEndpointsMatchFamily(family, endpoints);
    }

    /**
     * A header for a connection from {@code source} to {@code destination}. Mixed IPv4 and IPv6
     * endpoints are both carried as IPv6, the IPv4 one as {@code ::ffff:a.b.c.d}.
     */
    public static ProxyHeader proxy(ProtocolVersion version, TransportProtocol transport,
                                    InetSocketAddress source, InetSocketAddress destination, List<Tlv> tlvs) {
        Endpoints.Inet endpoints = new Endpoints.Inet(source, destination);
        boolean bothV4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        if (!bothV4) {
            endpoints = new Endpoints.Inet(
                    new InetSocketAddress(InetLiterals.toIpv6(source.getAddress()), source.getPort()),
                    new InetSocketAddress(InetLiterals.toIpv6(destination.getAddress()), destination.getPort()));
        }
        return new ProxyHeader(version, Command.PROXY, bothV4 ? AddressFamily.INET : AddressFamily.INET6,
                transport, endpoints, tlvs, Bytes.EMPTY);
    }

    /** A TCP header for a connection from {@code source} to {@code destination}, without TLVs. */
    public static ProxyHeader tcp(ProtocolVersion version, InetSocketAddress source, InetSocketAddress destination) {
        return proxy(version, TransportProtocol.STREAM, source, destination, List.of());
    }

    /** A header for a connection between two AF_UNIX sockets. */
    public static ProxyHeader unix(ProtocolVersion version, TransportProtocol transport, Endpoints.Unix endpoints, List<Tlv> tlvs) {
        return new ProxyHeader(version, Command.PROXY, AddressFamily.UNIX, transport, endpoints, tlvs, Bytes.EMPTY);
    }

    /**
     * A {@code LOCAL} header (v2) for a connection the proxy made itself, such as a health check;
     * sent as v1 it becomes {@code PROXY UNKNOWN}.
     */
    public static ProxyHeader local(ProtocolVersion version, List<Tlv> tlvs) {
        return new ProxyHeader(version, Command.LOCAL, AddressFamily.UNSPEC, TransportProtocol.UNSPEC,
                Endpoints.Unspecified.INSTANCE, tlvs, Bytes.EMPTY);
    }

    /** A {@code PROXY} header with no usable addresses: v1 {@code UNKNOWN}, v2 family {@code UNSPEC}. */
    public static ProxyHeader unknown(ProtocolVersion version, List<Tlv> tlvs) {
        return new ProxyHeader(version, Command.PROXY, AddressFamily.UNSPEC, TransportProtocol.UNSPEC,
                Endpoints.Unspecified.INSTANCE, tlvs, Bytes.EMPTY);
    }

    /** This header with {@code tlvs} instead of its own. */
    public ProxyHeader withTlvs(List<Tlv> tlvs) {
        return new ProxyHeader(version, command, family, transport, endpoints, tlvs, Bytes.EMPTY);
    }

    /**
     * True when the receiver must keep the connection's own endpoints: a {@code LOCAL} header, v1
     * {@code UNKNOWN} or the v2 {@code UNSPEC} family.
     */
    public boolean useConnectionAddresses() {
        return command == Command.LOCAL || endpoints instanceof Endpoints.Unspecified;
    }

    /** The original client's address and port, when the header carries an IP one to use. */
    public Optional<InetSocketAddress> sourceAddress() {
        return inetEndpoints().map(Endpoints.Inet::source);
    }

    /** The address the client connected to, when the header carries an IP one to use. */
    public Optional<InetSocketAddress> destinationAddress() {
        return inetEndpoints().map(Endpoints.Inet::destination);
    }

    private Optional<Endpoints.Inet> inetEndpoints() {
        return command == Command.PROXY && endpoints instanceof Endpoints.Inet inet ? Optional.of(inet) : Optional.empty();
    }

    /** The first TLV of the given record type, such as {@code header.tlv(Tlv.Authority.class)}. */
    public <T extends Tlv> Optional<T> tlv(Class<T> kind) {
        for (Tlv tlv : tlvs) {
            if (kind.isInstance(tlv)) {
                return Optional.of(kind.cast(tlv));
            }
        }
        return Optional.empty();
    }

    /** The first TLV whose type byte is {@code type}, whatever record represents it. */
    public Optional<Tlv> tlv(int type) {
        for (Tlv tlv : tlvs) {
            if (tlv.type() == type) {
                return Optional.of(tlv);
            }
        }
        return Optional.empty();
    }

    private static void requireEndpointsMatchFamily(AddressFamily family, Endpoints endpoints) {
        if (endpoints instanceof Endpoints.Inet inet) {
            Class<? extends InetAddress> expected = switch (family) {
                case INET -> Inet4Address.class;
                case INET6 -> Inet6Address.class;
                default -> throw new IllegalArgumentException("IP endpoints cannot go with family " + family);
            };
            if (!expected.isInstance(inet.source().getAddress()) || !expected.isInstance(inet.destination().getAddress())) {
                throw new IllegalArgumentException("family " + family + " needs two " + expected.getSimpleName()
                        + " endpoints, got " + inet.source() + " and " + inet.destination());
            }
        } else if (endpoints instanceof Endpoints.Unix && family != AddressFamily.UNIX) {
            throw new IllegalArgumentException("AF_UNIX endpoints cannot go with family " + family);
        }
    }
}
