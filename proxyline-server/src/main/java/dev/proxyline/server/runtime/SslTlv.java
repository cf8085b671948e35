package dev.proxyline.server.runtime;

import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.SslSubTlv;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.server.variables.ClientCertificate;
import dev.proxyline.server.variables.SessionTls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * {@code PP2_TYPE_SSL} for a session whose TLS proxyline terminated, as HAProxy fills it: the client bits (TLS, and a
 * certificate on the connection and in the session when one was sent), {@code verify} zero only for a certificate
 * sent and verified (else OpenSSL's error number, or 1 without one), and the sub-TLVs version, cipher and the client
 * certificate's common name. Plain Java.
 */
final class SslTlv {
    private SslTlv() {
    }

    static Tlv.Ssl of(SessionTls tls) {
        ClientCertificate client = tls.facts().client();
        int bits = Tlv.Ssl.CLIENT_SSL | (client.sent() ? Tlv.Ssl.CLIENT_CERT_CONN | Tlv.Ssl.CLIENT_CERT_SESS : 0);
        long verify = !client.sent() ? 1 : client.failure().map(f -> (long) f.code()).orElse(0L);
        List<SslSubTlv> subs = new ArrayList<>(3);
        subs.add(text(SslSubTlv.VERSION, tls.facts().protocol()));
        commonName(client).ifPresent(cn -> subs.add(text(SslSubTlv.CN, cn)));
        subs.add(text(SslSubTlv.CIPHER, tls.facts().cipher()));
        return new Tlv.Ssl(bits, verify, subs);
    }

    private static SslSubTlv text(int type, String value) {
        return new SslSubTlv(type, Bytes.of(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The subject's (last, most specific) CN, as HAProxy's {@code ssl_c_s_dn(cn)} gives it. */
    private static Optional<String> commonName(ClientCertificate client) {
        if (client.certificate().isEmpty()) return Optional.empty();
        try {
            LdapName name = new LdapName(client.certificate().get().getSubjectX500Principal().getName());
            Optional<String> cn = Optional.empty();
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) cn = Optional.of(String.valueOf(rdn.getValue()));
            }
            return cn;
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
