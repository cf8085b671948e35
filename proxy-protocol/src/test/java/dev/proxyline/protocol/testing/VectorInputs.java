package dev.proxyline.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Endpoints;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the header an encode vector's {@code input} describes: version, command, transport,
 * src/dst with ports (IP literals, or AF_UNIX paths when {@code family} is UNIX or the source is a
 * path), {@code tlvs} as {@code {type, hex, repeat?}}, and {@code crc32c: true} for a checksum TLV,
 * which goes first as HAProxy sends it.
 */
public final class VectorInputs {
    private VectorInputs() {
    }

    public static ProxyHeader header(JsonNode input) {
        ProtocolVersion version = input.path("version").asInt() == 1 ? ProtocolVersion.V1 : ProtocolVersion.V2;
        List<Tlv> tlvs = new ArrayList<>();
        if (input.path("crc32c").asBoolean(false)) {
            tlvs.add(Tlv.Crc32c.PLACEHOLDER);
        }
        for (JsonNode tlv : input.path("tlvs")) {
            byte[] unit = HexFormat.of().parseHex(tlv.path("hex").asText());
            int repeat = tlv.path("repeat").asInt(1);
            byte[] value = new byte[unit.length * repeat];
            for (int i = 0; i < repeat; i++) {
                System.arraycopy(unit, 0, value, i * unit.length, unit.length);
            }
            tlvs.add(Tlv.of(tlv.path("type").asInt(), Bytes.of(value)));
        }
        if ("LOCAL".equals(input.path("command").asText("PROXY"))) {
            return ProxyHeader.local(version, tlvs);
        }
        TransportProtocol transport = TransportProtocol.valueOf(input.path("transport").asText("STREAM"));
        String src = input.path("src").asText("");
        String dst = input.path("dst").asText("");
        if (src.isEmpty() || "UNSPEC".equals(input.path("family").asText()) || "UNKNOWN".equals(input.path("family").asText())) {
            return ProxyHeader.unknown(version, tlvs);
        }
        if ("UNIX".equals(input.path("family").asText()) || src.startsWith("/")) {
            return ProxyHeader.unix(version, transport, new Endpoints.Unix(
                    Bytes.of(src, StandardCharsets.UTF_8), Bytes.of(dst, StandardCharsets.UTF_8)), tlvs);
        }
        return ProxyHeader.proxy(version, transport,
                new InetSocketAddress(InetLiterals.parseOrThrow(src, "src"), input.path("srcPort").asInt()),
                new InetSocketAddress(InetLiterals.parseOrThrow(dst, "dst"), input.path("dstPort").asInt()),
                tlvs);
    }
}
