package dev.proxyline.server.tls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Evaluates an OpenSSL cipher string ({@code ssl_ciphers HIGH:!aNULL:!MD5}) to an ordered list of TLS 1.2
 * (and older) cipher suites in IANA names, which both the JDK and the OpenSSL engine accept, with
 * OpenSSL's rules: words separated by {@code :}, {@code ,} or spaces; a word adds its suites at the end,
 * {@code -word} removes them, {@code !word} removes them for good, {@code +word} moves them to the end;
 * {@code A+B} means both; {@code @STRENGTH} sorts by key length; unknown words match nothing, as in OpenSSL.
 *
 * <p>Only the suites either engine still offers are known (ECDHE, DHE and RSA key exchange; AES-GCM,
 * ChaCha20-Poly1305, AES-CBC, 3DES); the anonymous, export, RC4 and NULL suites do not exist here, so
 * {@code !aNULL} and friends are harmless. As in nginx, TLS 1.3 suites are not affected.
 */
public final class CipherString {
    /** One known suite; {@code tags} are the OpenSSL words that select it. */
    private record Suite(String openSsl, String iana, int bits, Set<String> tags) {
    }

    private static final List<Suite> SUITES = List.of(
            suite("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 256, "ECDHE ECDSA AESGCM AES256 AEAD SHA384 TLSv1.2"),
            suite("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 256, "ECDHE aRSA AESGCM AES256 AEAD SHA384 TLSv1.2"),
            suite("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 256, "ECDHE ECDSA CHACHA20 AEAD SHA256 TLSv1.2"),
            suite("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 256, "ECDHE aRSA CHACHA20 AEAD SHA256 TLSv1.2"),
            suite("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 128, "ECDHE ECDSA AESGCM AES128 AEAD SHA256 TLSv1.2"),
            suite("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 128, "ECDHE aRSA AESGCM AES128 AEAD SHA256 TLSv1.2"),
            suite("DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", 256, "DHE aRSA AESGCM AES256 AEAD SHA384 TLSv1.2"),
            suite("DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 256, "DHE aRSA CHACHA20 AEAD SHA256 TLSv1.2"),
            suite("DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 128, "DHE aRSA AESGCM AES128 AEAD SHA256 TLSv1.2"),
            suite("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 256, "ECDHE ECDSA AES256 SHA384 TLSv1.2"),
            suite("ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", 256, "ECDHE aRSA AES256 SHA384 TLSv1.2"),
            suite("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 128, "ECDHE ECDSA AES128 SHA256 TLSv1.2"),
            suite("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 128, "ECDHE aRSA AES128 SHA256 TLSv1.2"),
            suite("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 256, "ECDHE ECDSA AES256 SHA1 TLSv1"),
            suite("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 256, "ECDHE aRSA AES256 SHA1 TLSv1"),
            suite("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 128, "ECDHE ECDSA AES128 SHA1 TLSv1"),
            suite("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 128, "ECDHE aRSA AES128 SHA1 TLSv1"),
            suite("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384", 256, "kRSA aRSA AESGCM AES256 AEAD SHA384 TLSv1.2"),
            suite("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", 128, "kRSA aRSA AESGCM AES128 AEAD SHA256 TLSv1.2"),
            suite("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256", 256, "kRSA aRSA AES256 SHA256 TLSv1.2"),
            suite("AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", 128, "kRSA aRSA AES128 SHA256 TLSv1.2"),
            suite("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", 256, "kRSA aRSA AES256 SHA1 TLSv1"),
            suite("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", 128, "kRSA aRSA AES128 SHA1 TLSv1"),
            suite("DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 112, "kRSA aRSA 3DES SHA1 TLSv1 MEDIUM"));

    private CipherString() {
    }

    /** The suites {@code cipherString} selects, in order, as IANA names; empty when it selects none. */
    public static List<String> evaluate(String cipherString) {
        List<Suite> list = new ArrayList<>();
        Set<Suite> killed = new HashSet<>();
        for (String word : cipherString.split("[:, ]+")) {
            if (word.isEmpty()) continue;
            char op = word.charAt(0);
            if (op == '@') {
                if (word.equalsIgnoreCase("@STRENGTH")) list.sort(Comparator.comparingInt(Suite::bits).reversed());
                continue; // @SECLEVEL=n and the like have no equivalent here
            }
            boolean prefixed = op == '!' || op == '-' || op == '+';
            Predicate<Suite> selects = selector(prefixed ? word.substring(1) : word);
            switch (prefixed ? op : ' ') {
                case '!' -> {
                    SUITES.stream().filter(selects).forEach(killed::add);
                    list.removeIf(selects);
                }
                case '-' -> list.removeIf(selects);
                case '+' -> {
                    List<Suite> moved = list.stream().filter(selects).toList();
                    list.removeAll(moved);
                    list.addAll(moved);
                }
                default -> SUITES.stream().filter(selects)
                        .filter(s -> !killed.contains(s) && !list.contains(s)).forEach(list::add);
            }
        }
        return list.stream().map(Suite::iana).toList();
    }

    /** {@code A+B+C}: the suites every part selects. */
    private static Predicate<Suite> selector(String word) {
        Predicate<Suite> all = s -> true;
        for (String part : word.split("\\+")) all = all.and(single(part));
        return all;
    }

    private static Predicate<Suite> single(String word) {
        return switch (word) {
            case "ALL", "DEFAULT" -> s -> true;
            case "HIGH" -> s -> !s.tags().contains("MEDIUM");
            case "MEDIUM" -> s -> s.tags().contains("MEDIUM");
            case "kECDHE", "kEECDH", "ECDHE", "EECDH", "ECDH" -> tagged("ECDHE");
            case "kDHE", "kEDH", "DHE", "EDH", "DH" -> tagged("DHE");
            case "RSA", "kRSA" -> tagged("kRSA");
            case "aRSA" -> tagged("aRSA");
            case "aECDSA", "ECDSA" -> tagged("ECDSA");
            case "AES" -> tagged("AES128").or(tagged("AES256"));
            case "AESGCM", "AES128", "AES256", "CHACHA20", "3DES", "SHA256", "SHA384", "AEAD" -> tagged(word);
            case "SHA1", "SHA" -> tagged("SHA1");
            // As OpenSSL: TLSv1.2 means "needs TLS 1.2", TLSv1 and SSLv3 the suites older versions have too.
            case "TLSv1.2" -> tagged("TLSv1.2");
            case "TLSv1", "SSLv3" -> tagged("TLSv1");
            default -> exactName(word);
        };
    }

    private static Predicate<Suite> exactName(String word) {
        String upper = word.toUpperCase(Locale.ROOT);
        return s -> s.openSsl().equals(upper) || s.iana().equals(upper);
    }

    private static Predicate<Suite> tagged(String tag) {
        return s -> s.tags().contains(tag);
    }

    private static Suite suite(String openSsl, String iana, int bits, String tags) {
        return new Suite(openSsl, iana, bits, new LinkedHashSet<>(List.of(tags.split(" "))));
    }
}
