package dev.proxyline.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One type-length-value entry after the addresses of a v2 header. Every registered type, and the
 * cloud vendors' ones, has its own record; anything else is an {@link Other} with its raw bytes.
 *
 * <p>{@link #type()} and {@link #value()} give the wire form of every entry, so a header round-trips
 * byte for byte. {@link #of(int, Bytes)} builds the right record from wire bytes and validates it.
 */
public sealed interface Tlv
        permits Tlv.Alpn, Tlv.Authority, Tlv.Crc32c, Tlv.Noop, Tlv.UniqueId, Tlv.Ssl, Tlv.Netns,
                Tlv.AwsVpcEndpointId, Tlv.AzurePrivateLinkId, Tlv.GcpPscConnectionId, Tlv.Other {

    int TYPE_ALPN = 0x01;
    int TYPE_AUTHORITY = 0x02;
    int TYPE_CRC32C = 0x03;
    int TYPE_NOOP = 0x04;
    int TYPE_UNIQUE_ID = 0x05;
    int TYPE_SSL = 0x20;
    int TYPE_NETNS = 0x30;
    /** Google Cloud Private Service Connect: the 8-byte connection id, big-endian. */
    int TYPE_GCP = 0xE0;
    /** AWS: a sub-type byte, then its value; sub-type 0x01 is the VPC endpoint id. */
    int TYPE_AWS = 0xEA;
    /** Azure: a sub-type byte, then its value; sub-type 0x01 is the private link id. */
    int TYPE_AZURE = 0xEE;

    /** The largest value a TLV can carry: its length field is 16 bits. */
    int MAX_VALUE_LENGTH = 0xFFFF;

    /** The type byte. */
    int type();

    /** The value bytes exactly as on the wire. */
    Bytes value();

    /**
     * The record for a TLV of {@code type} with {@code value} as its wire bytes.
     *
     * @throws IllegalArgumentException if the value breaks the rules of its type (UNIQUE_ID over 128
     *     bytes, a CRC32C that is not 4 bytes, an SSL value shorter than 5 bytes or with malformed
     *     sub-TLVs) or does not fit in a TLV
     */
    static Tlv of(int type, Bytes value) {
        Object parsed = TlvParser.parse(type, value);
        if (parsed instanceof Tlv tlv) {
            return tlv;
        }
        throw new IllegalArgumentException(((DecodeResult.Invalid) parsed).message());
    }

    /** The number of bytes this TLV takes on the wire. */
    default int encodedLength() {
        return 3 + value().length();
    }

    /** {@code PP2_TYPE_ALPN}: the application protocol, such as {@code h2} or {@code http/1.1}. */
    record Alpn(Bytes protocol) implements Tlv {
        public Alpn {
            Objects.requireNonNull(protocol, "protocol");
        }

        public static Alpn of(String protocol) {
            return new Alpn(Bytes.of(protocol, StandardCharsets.US_ASCII));
        }

        public String protocolName() {
            return protocol.asString(StandardCharsets.US_ASCII);
        }

        @Override
        public int type() {
            return TYPE_ALPN;
        }

        @Override
        public Bytes value() {
            return protocol;
        }
    }

    /** {@code PP2_TYPE_AUTHORITY}: the host name the client asked for (TLS SNI or Host), UTF-8. */
    record Authority(Bytes hostNameBytes) implements Tlv {
        public Authority {
            Objects.requireNonNull(hostNameBytes, "hostNameBytes");
        }

        public static Authority of(String hostName) {
            return new Authority(Bytes.of(hostName, StandardCharsets.UTF_8));
        }

        public String hostName() {
            return hostNameBytes.asString(StandardCharsets.UTF_8);
        }

        @Override
        public int type() {
            return TYPE_AUTHORITY;
        }

        @Override
        public Bytes value() {
            return hostNameBytes;
        }
    }

    /**
     * {@code PP2_TYPE_CRC32C}: the CRC-32C of the whole header with this value zeroed. The encoder
     * computes it, so a sender adds {@link #PLACEHOLDER}; the decoder verifies it.
     */
    record Crc32c(int checksum) implements Tlv {
        /** What a sender adds to ask the encoder for a checksum. */
        public static final Crc32c PLACEHOLDER = new Crc32c(0);

        @Override
        public int type() {
            return TYPE_CRC32C;
        }

        @Override
        public Bytes value() {
            return Bytes.of((byte) (checksum >>> 24), (byte) (checksum >>> 16), (byte) (checksum >>> 8), (byte) checksum);
        }

        @Override
        public String toString() {
            return "Crc32c[checksum=" + String.format("%08x", checksum) + "]";
        }
    }

    /** {@code PP2_TYPE_NOOP}: padding that receivers ignore; any length, zero included. */
    record Noop(Bytes padding) implements Tlv {
        public Noop {
            Objects.requireNonNull(padding, "padding");
        }

        /** {@code length} zero bytes of padding. */
        public static Noop ofLength(int length) {
            return new Noop(Bytes.of(new byte[length]));
        }

        @Override
        public int type() {
            return TYPE_NOOP;
        }

        @Override
        public Bytes value() {
            return padding;
        }
    }

    /** {@code PP2_TYPE_UNIQUE_ID}: an opaque connection id of at most 128 bytes. */
    record UniqueId(Bytes id) implements Tlv {
        public static final int MAX_LENGTH = 128;

        public UniqueId {
            Objects.requireNonNull(id, "id");
            if (id.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("UNIQUE_ID is " + id.length() + " bytes, more than " + MAX_LENGTH);
            }
        }

        @Override
        public int type() {
            return TYPE_UNIQUE_ID;
        }

        @Override
        public Bytes value() {
            return id;
        }
    }

    /**
     * {@code PP2_TYPE_SSL}: how the client connected to the proxy. {@code client} holds the
     * {@code PP2_CLIENT_*} bits; {@code verify} is zero when a client certificate was presented and
     * verified (unsigned 32 bits); the sub-TLVs carry version, CN, cipher and the rest.
     */
    record Ssl(int client, long verify, List<SslSubTlv> subTlvs) implements Tlv {
        public static final int CLIENT_SSL = 0x01;
        public static final int CLIENT_CERT_CONN = 0x02;
        public static final int CLIENT_CERT_SESS = 0x04;

        public Ssl {
            if (client < 0 || client > 0xFF) {
                throw new IllegalArgumentException("SSL client bits must fit one byte: " + client);
            }
            if (verify < 0 || verify > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("SSL verify must fit 32 unsigned bits: " + verify);
            }
            subTlvs = List.copyOf(subTlvs);
        }

        /** The client connected over SSL/TLS. */
        public boolean isSsl() {
            return (client & CLIENT_SSL) != 0;
        }

        /** The client presented a certificate on this connection. */
        public boolean clientCertificateOnConnection() {
            return (client & CLIENT_CERT_CONN) != 0;
        }

        /** The client presented a certificate at least once in this TLS session. */
        public boolean clientCertificateInSession() {
            return (client & CLIENT_CERT_SESS) != 0;
        }

        /** A client certificate was presented and verified. */
        public boolean verified() {
            return verify == 0;
        }

        /** The first sub-TLV of {@code subType}. */
        public Optional<SslSubTlv> subTlv(int subType) {
            for (SslSubTlv sub : subTlvs) {
                if (sub.type() == subType) {
                    return Optional.of(sub);
                }
            }
            return Optional.empty();
        }

        /** The TLS version, such as {@code TLSv1.3}. */
        public Optional<String> version() {
            return text(SslSubTlv.VERSION);
        }

        /** The Common Name of the client certificate's subject. */
        public Optional<String> commonName() {
            return text(SslSubTlv.CN);
        }

        public Optional<String> cipher() {
            return text(SslSubTlv.CIPHER);
        }

        public Optional<String> signatureAlgorithm() {
            return text(SslSubTlv.SIG_ALG);
        }

        public Optional<String> keyAlgorithm() {
            return text(SslSubTlv.KEY_ALG);
        }

        /** The key-exchange group, such as {@code X25519}. */
        public Optional<String> group() {
            return text(SslSubTlv.GROUP);
        }

        public Optional<String> signatureScheme() {
            return text(SslSubTlv.SIG_SCHEME);
        }

        /** The client certificate, DER-encoded. */
        public Optional<Bytes> clientCertificate() {
            return subTlv(SslSubTlv.CLIENT_CERT).map(SslSubTlv::value);
        }

        private Optional<String> text(int subType) {
            return subTlv(subType).map(sub -> sub.value().asString(StandardCharsets.UTF_8));
        }

        @Override
        public int type() {
            return TYPE_SSL;
        }

        @Override
        public Bytes value() {
            int length = 5;
            for (SslSubTlv sub : subTlvs) {
                length += 3 + sub.value().length();
            }
            byte[] out = new byte[length];
            out[0] = (byte) client;
            out[1] = (byte) (verify >>> 24);
            out[2] = (byte) (verify >>> 16);
            out[3] = (byte) (verify >>> 8);
            out[4] = (byte) verify;
            int at = 5;
            for (SslSubTlv sub : subTlvs) {
                out[at] = (byte) sub.type();
                out[at + 1] = (byte) (sub.value().length() >>> 8);
                out[at + 2] = (byte) sub.value().length();
                sub.value().copyTo(out, at + 3);
                at += 3 + sub.value().length();
            }
            return Bytes.of(out);
        }
    }

    /** {@code PP2_TYPE_NETNS}: the name of the network namespace the connection came from, US-ASCII. */
    record Netns(Bytes nameBytes) implements Tlv {
        public Netns {
            Objects.requireNonNull(nameBytes, "nameBytes");
        }

        public static Netns of(String name) {
            return new Netns(Bytes.of(name, StandardCharsets.US_ASCII));
        }

        public String name() {
            return nameBytes.asString(StandardCharsets.US_ASCII);
        }

        @Override
        public int type() {
            return TYPE_NETNS;
        }

        @Override
        public Bytes value() {
            return nameBytes;
        }
    }

    /** AWS NLB, type 0xEA sub-type 0x01: the VPC endpoint id, such as {@code vpce-08d2bf15fac5001c9}. */
    record AwsVpcEndpointId(Bytes idBytes) implements Tlv {
        public static final int SUBTYPE = 0x01;

        public AwsVpcEndpointId {
            Objects.requireNonNull(idBytes, "idBytes");
        }

        public static AwsVpcEndpointId of(String id) {
            return new AwsVpcEndpointId(Bytes.of(id, StandardCharsets.US_ASCII));
        }

        public String id() {
            return idBytes.asString(StandardCharsets.US_ASCII);
        }

        @Override
        public int type() {
            return TYPE_AWS;
        }

        @Override
        public Bytes value() {
            byte[] out = new byte[1 + idBytes.length()];
            out[0] = SUBTYPE;
            idBytes.copyTo(out, 1);
            return Bytes.of(out);
        }
    }

    /** Azure Private Link, type 0xEE sub-type 0x01: the link id, 32 bits little-endian on the wire. */
    record AzurePrivateLinkId(long linkId) implements Tlv {
        public static final int SUBTYPE = 0x01;

        public AzurePrivateLinkId {
            if (linkId < 0 || linkId > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("Azure link id must fit 32 unsigned bits: " + linkId);
            }
        }

        @Override
        public int type() {
            return TYPE_AZURE;
        }

        @Override
        public Bytes value() {
            return Bytes.of((byte) SUBTYPE, (byte) linkId, (byte) (linkId >>> 8), (byte) (linkId >>> 16), (byte) (linkId >>> 24));
        }
    }

    /** Google Cloud Private Service Connect, type 0xE0: the connection id, 64 bits big-endian (unsigned). */
    record GcpPscConnectionId(long connectionId) implements Tlv {
        @Override
        public int type() {
            return TYPE_GCP;
        }

        @Override
        public Bytes value() {
            byte[] out = new byte[8];
            for (int i = 0; i < 8; i++) {
                out[i] = (byte) (connectionId >>> (56 - 8 * i));
            }
            return Bytes.of(out);
        }

        /** The id as the unsigned decimal number the GCP documentation shows. */
        public String unsignedId() {
            return Long.toUnsignedString(connectionId);
        }
    }

    /** Any other type (application 0xE0–0xEF, experimental 0xF0–0xF7, future, unassigned), raw. */
    record Other(int type, Bytes value) implements Tlv {
        public Other {
            if (type < 0 || type > 0xFF) {
                throw new IllegalArgumentException("TLV type must fit one byte: " + type);
            }
            // A registered type has its own record, which validates the value (and lets the encoder
            // fill a CRC32C): an Other of that type would bypass both.
            if (isRegistered(type)) {
                throw new IllegalArgumentException("TLV type 0x" + TlvParser.hex(type)
                        + " is registered: use Tlv.of(type, value) or its own record");
            }
            Objects.requireNonNull(value, "value");
        }

        private static boolean isRegistered(int type) {
            return (type >= TYPE_ALPN && type <= TYPE_UNIQUE_ID) || type == TYPE_SSL || type == TYPE_NETNS;
        }
    }
}
