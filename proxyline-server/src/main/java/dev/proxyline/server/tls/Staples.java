package dev.proxyline.server.tls;

import dev.proxyline.config.Resolver;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.dns.DnsLookups;
import io.netty.channel.Channel;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.DERIA5String;

/**
 * Where a server's staple comes from ({@code ssl_stapling on}): its {@code ssl_stapling_file}, or the OCSP
 * responder of its certificate. A server that cannot staple is told at start in nginx's words and served without.
 */
final class Staples {
    private static final System.Logger LOG = System.getLogger(Staples.class.getName());

    private Staples() {
    }

    /**
     * The staple for a handshake on {@code connection} whose client asked for the status; {@code null} while there
     * is none.
     */
    interface Source {
        byte[] staple(Channel connection);
    }

    /** {@code ssl_stapling_file}: stapled as it is, unchecked and forever, as nginx does. */
    private record Fixed(byte[] der) implements Source {
        @Override
        public byte[] staple(Channel connection) {
            return der;
        }
    }

    /**
     * The source for {@code settings} served with {@code keys} by an engine that can staple ({@code openSsl}); empty
     * when stapling is off or cannot be done (warned); file problems go to {@code problems}. A responder's name is
     * looked up now with {@code names} (the system's resolver, as nginx does at start), and for each request with
     * the server's {@code resolver}, whose client {@code lookups} gives.
     */
    static Optional<Source> forServer(ServerTls settings, List<CertifiedKey> keys, boolean openSsl, Clock clock,
                                      List<String> problems, HostResolver names,
                                      Function<Resolver, Optional<DnsLookups>> lookups) {
        if (settings.stapling().isEmpty()) return Optional.empty();
        StaplingFiles stapling = settings.stapling().get();
        String certificate = name(settings.certificates().get(0));
        if (stapling.file().isPresent()) {
            PemFile file = stapling.file().get();
            try {
                byte[] der = Files.readAllBytes(file.path());
                return openSsl ? Optional.of(new Fixed(der)) : jdkEngine(certificate);
            } catch (IOException e) {
                problems.add(file.problem("cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + ")"));
                return Optional.empty();
            }
        }
        List<X509Certificate> trusted = stapling.trusted().map(f -> TrustFiles.certificates(f, problems))
                .orElse(List.of());
        List<X509Certificate> chain = keys.get(0).chain();
        X509Certificate leaf = chain.get(0);
        Optional<X509Certificate> issuer = issuer(leaf, chain, trusted);
        if (issuer.isEmpty()) return ignored("issuer certificate not found for certificate \"" + certificate + "\"");
        Optional<String> url = stapling.responder().or(() -> responder(leaf));
        if (url.isEmpty()) return ignored("no OCSP responder URL in the certificate \"" + certificate + "\"");
        OcspResponderUrl.Parsed parsed = OcspResponderUrl.parse(url.get());
        if (parsed instanceof OcspResponderUrl.Unusable unusable) {
            return ignored(unusable.problem() + " in the certificate \"" + certificate + "\"");
        }
        if (!openSsl) return jdkEngine(certificate);
        OcspResponderUrl responder = ((OcspResponderUrl.Usable) parsed).url();
        List<InetAddress> atStart;
        if (responder.literal().isPresent()) {
            atStart = List.of(responder.literal().get());
        } else {
            try {
                atStart = names.resolve(responder.host());
            } catch (UnknownHostException e) {
                return ignored("host not found in OCSP responder \"" + url.get().substring("http://".length())
                        + "\" in the certificate \"" + certificate + "\"");
            }
        }
        return Optional.of(new OcspStapler(OcspExchange.about(leaf, issuer.get()), responder, atStart,
                stapling.resolver().flatMap(lookups), stapling.verify(), trusted, certificate, clock));
    }

    private static Optional<Source> ignored(String why) {
        LOG.log(Level.WARNING, "\"ssl_stapling\" ignored, " + why);
        return Optional.empty();
    }

    private static Optional<Source> jdkEngine(String certificate) {
        return ignored("certificate \"" + certificate + "\" is served by the JDK's TLS engine, which cannot staple "
                + "(only OpenSSL/BoringSSL can: one ssl_certificate per server, netty-tcnative loaded)");
    }

    private static String name(CertificateSource source) {
        return source instanceof CertificateSource.Configured c ? c.files().certificate().path().toString()
                : "(development certificate)";
    }

    /** The certificate after the leaf in its file, or one of {@code ssl_trusted_certificate}, that signed it. */
    private static Optional<X509Certificate> issuer(X509Certificate leaf, List<X509Certificate> chain,
                                                    List<X509Certificate> trusted) {
        List<X509Certificate> candidates = new ArrayList<>(chain.subList(1, chain.size()));
        candidates.addAll(trusted);
        for (X509Certificate c : candidates) {
            if (!c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) continue;
            try {
                leaf.verify(c.getPublicKey());
                return Optional.of(c);
            } catch (GeneralSecurityException e) {
                // same name, other key: keep looking
            }
        }
        return Optional.empty();
    }

    /** The first OCSP URL of the certificate's Authority Information Access, as nginx takes it. */
    static Optional<String> responder(X509Certificate leaf) {
        byte[] extension = leaf.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) return Optional.empty();
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(extension).getOctets());
            for (AccessDescription d : aia.getAccessDescriptions()) {
                if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                        && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    return Optional.of(DERIA5String.getInstance(d.getAccessLocation().getName()).getString());
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
