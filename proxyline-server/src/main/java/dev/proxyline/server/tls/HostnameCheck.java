package dev.proxyline.server.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a certificate is for a name, as nginx asks OpenSSL ({@code X509_check_host} without flags): the DNS
 * subject alternative names, or the subject's common name when there are none; {@code *} stands for the whole
 * leftmost label. The name is compared as text, so an IP address matches a DNS name or common name written the
 * same, not an IP subject alternative name (nginx does not check those either). Plain Java.
 */
public final class HostnameCheck {
    private static final int DNS_NAME = 2;

    private HostnameCheck() {
    }

    public static boolean matches(X509Certificate certificate, String name) {
        String wanted = lower(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
        if (wanted.isEmpty()) return false;
        List<String> dnsNames = dnsNames(certificate);
        List<String> candidates = dnsNames.isEmpty() ? commonNames(certificate) : dnsNames;
        for (String candidate : candidates) {
            if (matches(lower(candidate), wanted)) return true;
        }
        return false;
    }

    private static boolean matches(String pattern, String name) {
        if (pattern.equals(name)) return true;
        // "*.example.com": one whole label, and never for a name of fewer labels than the pattern's.
        if (!pattern.startsWith("*.") || pattern.indexOf('.', 2) < 0) return false;
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot).equals(pattern.substring(1));
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives == null) return out;
            for (List<?> entry : alternatives) {
                if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == DNS_NAME
                        && entry.get(1) instanceof String dns) {
                    out.add(dns);
                }
            }
        } catch (CertificateParsingException e) {
            return out;
        }
        return out;
    }

    private static List<String> commonNames(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) out.add(String.valueOf(rdn.getValue()));
            }
        } catch (InvalidNameException e) {
            return out;
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
