package dev.proxyline.server.variables;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/** Certificate fields written as nginx writes them with OpenSSL, for the {@code $ssl_client_*} variables. */
final class CertificateText {
    /** OpenSSL's short names for attributes the JDK would otherwise write as an OID with a hex value. */
    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"), Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.43", "initials"), Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.46", "dnQualifier"), Map.entry("2.5.4.65", "pseudonym"), Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.15", "businessCategory"), Map.entry("2.5.4.41", "name"),
            Map.entry("2.5.4.97", "organizationIdentifier"), Map.entry("2.5.4.9", "street"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"));
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Base64.Encoder PEM_LINES = Base64.getMimeEncoder(64, new byte[] {'\n'});
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CertificateText() {
    }

    /**
     * RFC 2253 order and escaping, OpenSSL's attribute names, and bytes above ASCII of the UTF-8 form as
     * {@code \XX} (OpenSSL's {@code XN_FLAG_RFC2253}, which nginx 1.11.6 and later use).
     */
    static String dn(X500Principal name) {
        String text = name.getName(X500Principal.RFC2253, SHORT_NAMES);
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0) {
                out.append((char) b);
            } else {
                out.append('\\').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    /** OpenSSL's {@code i2a_ASN1_INTEGER}: the magnitude's bytes in upper-case hex, {@code -} before a negative. */
    static String serial(BigInteger serial) {
        String hex = serial.abs().toString(16).toUpperCase(Locale.ROOT);
        if (hex.length() % 2 == 1) hex = "0" + hex;
        return serial.signum() < 0 ? "-" + hex : hex;
    }

    static String sha1(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-1 of a parsed certificate", e);
        }
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + PEM_LINES.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("DER of a parsed certificate", e);
        }
    }

    /** OpenSSL's {@code ASN1_TIME_print}: {@code Dec  7 12:02:29 2026 GMT}. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** Everything but letters, digits and {@code -._~} as {@code %XX}, as nginx escapes a URI component. */
    static String escapeComponent(String text) {
        StringBuilder out = new StringBuilder(text.length() + text.length() / 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }
}
