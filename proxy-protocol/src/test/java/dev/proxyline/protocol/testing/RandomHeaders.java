package dev.proxyline.protocol.testing;

import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.Endpoints;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.SslSubTlv;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random, valid headers for round-trip and fuzz tests, reproducible from the {@link Random} given.
 * Every header is in the form the decoder produces (TLVs built through {@link Tlv#of}, v1 without
 * TLVs, LOCAL without endpoints), so {@code decode(encode(h))} must equal {@code h} up to the
 * checksum a {@link Tlv.Crc32c#PLACEHOLDER} gets; see {@link #withoutChecksums}.
 */
public final class RandomHeaders {
    /** Keeps headers well under the default 4096-byte cap unless a test asks for big ones. */
    private static final int MAX_TLV_VALUE = 300;

    private RandomHeaders() {
    }

    /** A v1 or v2 header. */
    public static ProxyHeader next(Random random) {
        return random.nextInt(4) == 0 ? v1(random) : v2(random);
    }

    /** {@code TCP4}, {@code TCP6} (IPv4-mapped included) or {@code UNKNOWN}. */
    public static ProxyHeader v1(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> ProxyHeader.unknown(ProtocolVersion.V1, List.of());
            case 1, 2 -> new ProxyHeader(ProtocolVersion.V1, Command.PROXY, AddressFamily.INET, TransportProtocol.STREAM,
                    inet(random, false), List.of(), Bytes.EMPTY);
            default -> new ProxyHeader(ProtocolVersion.V1, Command.PROXY, AddressFamily.INET6, TransportProtocol.STREAM,
                    inet(random, true), List.of(), Bytes.EMPTY);
        };
    }

    /** Any command, family and transport, with random TLVs or, where the decoder keeps one, an opaque block. */
    public static ProxyHeader v2(Random random) {
        AddressFamily family = AddressFamily.values()[random.nextInt(4)];
        TransportProtocol transport = family == AddressFamily.UNSPEC ? TransportProtocol.UNSPEC
                : random.nextBoolean() ? TransportProtocol.STREAM : TransportProtocol.DGRAM;
        Command command = random.nextInt(5) == 0 ? Command.LOCAL : Command.PROXY;
        Endpoints endpoints = command == Command.LOCAL ? Endpoints.Unspecified.INSTANCE : switch (family) {
            case INET -> inet(random, false);
            case INET6 -> inet(random, true);
            case UNIX -> new Endpoints.Unix(path(random), path(random));
            case UNSPEC -> Endpoints.Unspecified.INSTANCE;
        };
        boolean opaqueAllowed = command == Command.LOCAL || family == AddressFamily.UNSPEC;
        if (opaqueAllowed && random.nextInt(4) == 0) {
            return new ProxyHeader(ProtocolVersion.V2, command, family, transport, endpoints, List.of(),
                    opaqueBlock(random, command == Command.LOCAL ? family.addressBlockLength() : 0));
        }
        return new ProxyHeader(ProtocolVersion.V2, command, family, transport, endpoints, tlvs(random), Bytes.EMPTY);
    }

    /** Zero to six TLVs of every kind, at most one CRC32C. */
    public static List<Tlv> tlvs(Random random) {
        List<Tlv> tlvs = new ArrayList<>();
        int count = random.nextInt(7);
        boolean crc = false;
        for (int i = 0; i < count; i++) {
            Tlv tlv = tlv(random);
            if (tlv instanceof Tlv.Crc32c) {
                if (crc) {
                    continue;
                }
                crc = true;
            }
            tlvs.add(tlv);
        }
        return tlvs;
    }

    /** One TLV: a registered or vendor type with a valid value, or any type byte with random bytes. */
    public static Tlv tlv(Random random) {
        return switch (random.nextInt(13)) {
            case 0 -> Tlv.Alpn.of(random.nextBoolean() ? "h2" : "http/1.1");
            case 1 -> new Tlv.Authority(bytes(random, random.nextInt(64)));
            case 2 -> Tlv.Crc32c.PLACEHOLDER;
            case 3 -> new Tlv.Noop(bytes(random, random.nextInt(20)));
            case 4 -> new Tlv.UniqueId(bytes(random, random.nextInt(Tlv.UniqueId.MAX_LENGTH + 1)));
            case 5, 6 -> ssl(random);
            case 7 -> new Tlv.Netns(bytes(random, random.nextInt(16)));
            case 8 -> new Tlv.AwsVpcEndpointId(bytes(random, random.nextInt(32)));
            case 9 -> new Tlv.AzurePrivateLinkId(random.nextLong() & 0xFFFF_FFFFL);
            case 10 -> new Tlv.GcpPscConnectionId(random.nextLong());
            default -> {
                // Any type byte: Tlv.of gives the record the decoder would, or refuses what the decoder would refuse.
                while (true) {
                    try {
                        yield Tlv.of(random.nextInt(256), bytes(random, random.nextInt(MAX_TLV_VALUE)));
                    } catch (IllegalArgumentException refused) {
                        // an SSL, CRC32C or UNIQUE_ID value of the wrong shape: draw again
                    }
                }
            }
        };
    }

    /** An SSL TLV with random client bits, verify result and sub-TLVs (registered 0x21-0x28 and others). */
    public static Tlv.Ssl ssl(Random random) {
        List<SslSubTlv> subs = new ArrayList<>();
        int count = random.nextInt(9);
        for (int i = 0; i < count; i++) {
            int type = random.nextInt(5) == 0 ? random.nextInt(256) : SslSubTlv.VERSION + random.nextInt(8);
            subs.add(new SslSubTlv(type, bytes(random, random.nextInt(40))));
        }
        long verify = random.nextBoolean() ? 0 : random.nextLong() & 0xFFFF_FFFFL;
        return new Tlv.Ssl(random.nextInt(256), verify, subs);
    }

    /** {@code header} with every CRC32C TLV turned back into the placeholder a sender adds. */
    public static ProxyHeader withoutChecksums(ProxyHeader header) {
        if (header.tlvs().stream().noneMatch(Tlv.Crc32c.class::isInstance)) {
            return header;
        }
        List<Tlv> tlvs = header.tlvs().stream().map(t -> t instanceof Tlv.Crc32c ? (Tlv) Tlv.Crc32c.PLACEHOLDER : t).toList();
        return new ProxyHeader(header.version(), header.command(), header.family(), header.transport(),
                header.endpoints(), tlvs, header.opaqueBlock());
    }

    /** Random bytes. */
    public static Bytes bytes(Random random, int length) {
        byte[] raw = new byte[length];
        random.nextBytes(raw);
        return Bytes.of(raw);
    }

    private static Endpoints.Inet inet(Random random, boolean v6) {
        return new Endpoints.Inet(
                new InetSocketAddress(address(random, v6), port(random)),
                new InetSocketAddress(address(random, v6), port(random)));
    }

    private static int port(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 65535;
            default -> random.nextInt(65536);
        };
    }

    /** Addresses with zero runs, IPv4-mapped forms and the extremes, where formatting goes wrong. */
    public static InetAddress address(Random random, boolean v6) {
        byte[] raw = new byte[v6 ? 16 : 4];
        switch (random.nextInt(5)) {
            case 0 -> { } // all zeros
            case 1 -> java.util.Arrays.fill(raw, (byte) 0xFF);
            case 2 -> {
                // sparse: runs of zero groups of every length and position
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : 0;
                }
            }
            default -> random.nextBytes(raw);
        }
        if (v6 && random.nextInt(6) == 0) {
            // IPv4-mapped, which must stay IPv6
            java.util.Arrays.fill(raw, 0, 10, (byte) 0);
            raw[10] = (byte) 0xFF;
            raw[11] = (byte) 0xFF;
        }
        try {
            return v6 ? Inet6Address.getByAddress(null, raw, -1) : (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** An AF_UNIX path of 0-108 bytes without NUL, the byte that ends it on the wire. */
    private static Bytes path(Random random) {
        int length = random.nextInt(4) == 0 ? Endpoints.Unix.MAX_PATH_LENGTH : random.nextInt(Endpoints.Unix.MAX_PATH_LENGTH + 1);
        byte[] raw = new byte[length];
        for (int i = 0; i < length; i++) {
            raw[i] = (byte) (1 + random.nextInt(255));
        }
        return Bytes.of(raw);
    }

    /**
     * Bytes that cannot be read as TLVs after the first {@code skip} (the address block a LOCAL
     * header announces): either shorter than that, or a TLV whose length runs past the end.
     */
    private static Bytes opaqueBlock(Random random, int skip) {
        if (skip > 0 && random.nextBoolean()) {
            return bytes(random, 1 + random.nextInt(skip - 1));
        }
        byte[] raw = new byte[skip + 3 + random.nextInt(20)];
        random.nextBytes(raw);
        raw[skip + 1] = (byte) 0xFF; // a length of at least 65280: past the end of any block here
        return Bytes.of(raw);
    }
}
