package dev.proxyline.server.variables;

import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.SslSubTlv;
import dev.proxyline.protocol.Tlv;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code $proxy_protocol_tlv_NAME}: a TLV of the PROXY header received, trusted or not (as nginx).
 * Raw values are the TLV's bytes exactly as received; a few vendor TLVs also have a decoded form.
 *
 * @param variableName the full name, such as {@code proxy_protocol_tlv_alpn}
 * @param kind         how the value is found and shown
 * @param type         the TLV type, or the SSL sub-TLV type for {@link Kind#SSL_SUB}
 */
public record TlvVariable(String variableName, Kind kind, int type) implements Variable {

    /** How the value is found and shown. */
    public enum Kind {
        /** The raw value of the first TLV of {@code type}. */
        RAW,
        /** The raw value of the first sub-TLV of {@code type} inside the SSL TLV. */
        SSL_SUB,
        /** The SSL TLV's verify field in decimal ({@code ssl_verify}). */
        SSL_VERIFY,
        /** The AWS VPC endpoint id as text (proxyline; nginx has no name for it). */
        AWS_VPCE_ID,
        /** The Azure Private Link id in decimal (proxyline). */
        AZURE_PEL_ID,
        /** The GCP Private Service Connect id as an unsigned decimal (proxyline). */
        GCP_PSC_ID
    }

    public TlvVariable {
        Objects.requireNonNull(variableName, "variableName");
        Objects.requireNonNull(kind, "kind");
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("TLV type " + type + " (expected 0x00-0xFF)");
        }
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        Optional<ProxyHeader> header = session.header();
        if (header.isEmpty()) {
            return false;
        }
        ProxyHeader h = header.get();
        return switch (kind) {
            case RAW -> h.tlv(type).map(tlv -> appendRaw(out, tlv.value())).orElse(false);
            case SSL_SUB -> h.tlv(Tlv.Ssl.class).flatMap(ssl -> ssl.subTlv(type)).map(SslSubTlv::value)
                    .map(value -> appendRaw(out, value)).orElse(false);
            case SSL_VERIFY -> h.tlv(Tlv.Ssl.class).map(ssl -> append(out, Long.toString(ssl.verify()))).orElse(false);
            case AWS_VPCE_ID -> h.tlv(Tlv.AwsVpcEndpointId.class).map(aws -> appendRaw(out, aws.idBytes())).orElse(false);
            case AZURE_PEL_ID -> h.tlv(Tlv.AzurePrivateLinkId.class)
                    .map(azure -> append(out, Long.toString(azure.linkId()))).orElse(false);
            case GCP_PSC_ID -> h.tlv(Tlv.GcpPscConnectionId.class).map(gcp -> append(out, gcp.unsignedId())).orElse(false);
        };
    }

    private static boolean appendRaw(StringBuilder out, Bytes value) {
        for (int i = 0; i < value.length(); i++) {
            out.append((char) value.unsignedAt(i));
        }
        return true;
    }

    private static boolean append(StringBuilder out, String text) {
        ByteStrings.appendUtf8(out, text);
        return true;
    }
}
