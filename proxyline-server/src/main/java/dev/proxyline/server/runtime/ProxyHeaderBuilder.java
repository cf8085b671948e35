package dev.proxyline.server.runtime;

import dev.proxyline.config.ProxyProtocolSend;
import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.netty.SendSettings;
import dev.proxyline.server.variables.ByteStrings;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The PROXY header a stream server sends upstream ({@code proxy_protocol on}), built per session.
 *
 * <p><b>Which client.</b> The header announces {@link SessionSnapshot#remote()}: the client of the
 * PROXY header this session received when its source was trusted ({@code set_real_ip_from}), so a
 * chain of proxies forwards the original client rather than the hop before; otherwise the socket
 * peer, so an untrusted source cannot pass a forged address on. The destination is chosen the same way
 * (nginx always sends its own local address; the original destination is what the next hop wants).
 *
 * <p><b>TLVs</b> ({@code proxy_protocol_tlv}, v2 only) are templates rendered per session; a value
 * that renders empty is left out, and so is one the TLV type cannot carry (a {@code unique_id} over
 * 128 bytes, a value over 65535 bytes), rather than failing the session. Constant values are checked
 * and built once.
 *
 * <p><b>TLS.</b> A v2 header of a session whose {@code listen ... ssl} terminated TLS also carries
 * {@code PP2_TYPE_SSL} ({@link SslTlv}), as HAProxy's {@code send-proxy-v2-ssl-cn} sends it; a plain session
 * pays one check for it.
 *
 * <p>Immutable; shared by every event loop.
 */
public final class ProxyHeaderBuilder {
    private record TlvTemplate(int type, Template value, Tlv constant) {
    }

    private final ProtocolVersion version;
    private final boolean crc32c;
    private final List<TlvTemplate> tlvs;
    private final SendSettings constantSettings; // when no TLV depends on the session

    private ProxyHeaderBuilder(ProtocolVersion version, boolean crc32c, List<TlvTemplate> tlvs) {
        this.version = version;
        this.crc32c = crc32c;
        this.tlvs = List.copyOf(tlvs);
        boolean constant = tlvs.stream().allMatch(t -> t.value().isConstant());
        this.constantSettings = constant ? new SendSettings(version, constantTlvs(tlvs), crc32c) : null;
    }

    /**
     * The builder for {@code send}.
     *
     * @throws TemplateException        for an unknown variable in a TLV value, naming the TLV
     * @throws IllegalArgumentException for a constant TLV value its type cannot carry, or if sending is off
     */
    public static ProxyHeaderBuilder of(ProxyProtocolSend send, VariableTable variables) {
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(variables, "variables");
        if (!send.enabled()) {
            throw new IllegalArgumentException("proxy_protocol is off; there is no header to build");
        }
        List<TlvTemplate> tlvs = new ArrayList<>();
        for (dev.proxyline.config.Tlv tlv : send.tlvs()) {
            Template value;
            try {
                value = Template.compile(tlv.value(), variables);
            } catch (TemplateException e) {
                throw new TemplateException(String.format("proxy_protocol_tlv 0x%02X: %s", tlv.type(), e.getMessage()));
            }
            Tlv constant = null;
            if (value.isConstant()) {
                String bytes = value.constantValue();
                try {
                    constant = Tlv.of(tlv.type(), Bytes.of(ByteStrings.toBytes(bytes)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(String.format("proxy_protocol_tlv 0x%02X \"%s\": %s",
                            tlv.type(), tlv.value(), e.getMessage()), e);
                }
            }
            tlvs.add(new TlvTemplate(tlv.type(), value, constant));
        }
        return new ProxyHeaderBuilder(send.version() == 2 ? ProtocolVersion.V2 : ProtocolVersion.V1, send.crc32c(), tlvs);
    }

    private static List<Tlv> constantTlvs(List<TlvTemplate> tlvs) {
        List<Tlv> out = new ArrayList<>(tlvs.size());
        for (TlvTemplate t : tlvs) {
            if (t.constant() != null && t.constant().value().length() > 0) {
                out.add(t.constant());
            }
        }
        return out;
    }

    /** The header for {@code session}, to give to a {@code ProxyHeaderSender}. */
    public ProxyHeader headerFor(SessionSnapshot session) {
        Objects.requireNonNull(session, "session");
        SendSettings settings = constantSettings != null ? constantSettings : settingsFor(session);
        if (version == ProtocolVersion.V2 && session.tls().isPresent()) {
            List<Tlv> withSsl = new ArrayList<>(settings.tlvs());
            withSsl.add(SslTlv.of(session.tls().get()));
            settings = new SendSettings(version, withSsl, crc32c);
        }
        return settings.headerFor(session.remote(), session.destination());
    }

    private SendSettings settingsFor(SessionSnapshot session) {
        List<Tlv> rendered = new ArrayList<>(tlvs.size());
        StringBuilder value = new StringBuilder(64);
        for (TlvTemplate t : tlvs) {
            if (t.constant() != null) {
                if (t.constant().value().length() > 0) {
                    rendered.add(t.constant());
                }
                continue;
            }
            value.setLength(0);
            t.value().render(session, value);
            if (value.length() == 0) {
                continue;
            }
            try {
                rendered.add(Tlv.of(t.type(), Bytes.of(ByteStrings.toBytes(value))));
            } catch (IllegalArgumentException e) {
                // Too long for its type: leave it out rather than refuse the client's session.
            }
        }
        return new SendSettings(version, rendered, crc32c);
    }

    /** The version sent. */
    public ProtocolVersion version() {
        return version;
    }
}
