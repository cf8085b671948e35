package dev.proxyline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.Endpoints;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.SslSubTlv;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Renders a decoded header as the {@code expect} object of the conformance vectors:
 * {@code ok, version, command, family, transport, src, srcPort, dst, dstPort,
 * useConnectionAddresses, tlvs, headerLength, trailingPayloadHex}, in that order.
 */
final class HeaderJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private HeaderJson() {
    }

    /**
     * The object for {@code complete}, which was decoded from {@code received}; the bytes after the
     * header are the trailing payload.
     */
    static ObjectNode render(DecodeResult.Complete complete, byte[] received) {
        ProxyHeader header = complete.header();
        ObjectNode json = NODES.objectNode();
        json.put("ok", true);
        json.put("version", header.version() == ProtocolVersion.V1 ? 1 : 2);
        json.put("command", header.command().name());
        json.put("family", family(header));
        json.put("transport", transport(header));
        putEndpoints(json, header);
        json.put("useConnectionAddresses", header.useConnectionAddresses());
        json.set("tlvs", tlvs(header));
        json.put("headerLength", complete.length());
        json.put("trailingPayloadHex", HEX.formatHex(received, complete.length(), received.length));
        return json;
    }

    /** TCP4, UDP6 and so on for IP; UNIX; UNSPEC; and UNKNOWN for the v1 line that says so. */
    static String family(ProxyHeader header) {
        boolean datagram = header.transport() == TransportProtocol.DGRAM;
        return switch (header.family()) {
            case INET -> datagram ? "UDP4" : "TCP4";
            case INET6 -> datagram ? "UDP6" : "TCP6";
            case UNIX -> "UNIX";
            case UNSPEC -> header.version() == ProtocolVersion.V1 ? "UNKNOWN" : "UNSPEC";
        };
    }

    /** The announced transport; a v1 UNKNOWN line announces none. */
    private static String transport(ProxyHeader header) {
        if (header.version() == ProtocolVersion.V1 && header.family() == AddressFamily.UNSPEC) {
            return null;
        }
        return header.transport().name();
    }

    /**
     * Addresses only when the receiver may use them: a LOCAL header may carry an address block,
     * but it must be ignored, so it is not shown either.
     */
    private static void putEndpoints(ObjectNode json, ProxyHeader header) {
        String src = null;
        String dst = null;
        Integer srcPort = null;
        Integer dstPort = null;
        if (!header.useConnectionAddresses()) {
            if (header.endpoints() instanceof Endpoints.Inet inet) {
                src = address(inet.source());
                dst = address(inet.destination());
                srcPort = inet.source().getPort();
                dstPort = inet.destination().getPort();
            } else if (header.endpoints() instanceof Endpoints.Unix unix) {
                // Linux paths are bytes; UTF-8 is how nearly all of them are meant to be read.
                src = unix.sourcePath().asString(StandardCharsets.UTF_8);
                dst = unix.destinationPath().asString(StandardCharsets.UTF_8);
            }
        }
        json.put("src", src);
        json.put("srcPort", srcPort);
        json.put("dst", dst);
        json.put("dstPort", dstPort);
    }

    private static String address(InetSocketAddress endpoint) {
        return InetLiterals.format(endpoint.getAddress());
    }

    /** The TLVs in wire order, or null when the block after the addresses is opaque. */
    private static ArrayNode tlvs(ProxyHeader header) {
        if (!header.opaqueBlock().isEmpty()) {
            return null;
        }
        ArrayNode tlvs = NODES.arrayNode();
        for (Tlv tlv : header.tlvs()) {
            ObjectNode entry = tlvs.addObject();
            entry.put("type", tlv.type());
            entry.put("hex", tlv.value().toHex());
            if (tlv instanceof Tlv.Ssl ssl) {
                entry.set("ssl", ssl(ssl));
            }
        }
        return tlvs;
    }

    private static ObjectNode ssl(Tlv.Ssl ssl) {
        ObjectNode json = NODES.objectNode();
        json.put("client", ssl.client());
        json.put("verify", ssl.verify());
        ArrayNode subs = json.putArray("subTlvs");
        for (SslSubTlv sub : ssl.subTlvs()) {
            ObjectNode entry = subs.addObject();
            entry.put("type", sub.type());
            entry.put("hex", sub.value().toHex());
        }
        return json;
    }
}
