package dev.proxyline.server.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.tls.OcspVerdict;
import dev.proxyline.server.tls.TestPki;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class ClientCertificateTest {
    private static final TestPki.Issued CA = TestPki.selfSigned("C=DE,O=Test Org,CN=Test Root", true);
    private static final TestPki.Issued CLIENT = TestPki.client(CA, "C=DE,O=Acme\\, Inc.,CN=client one",
            new BigInteger("0fed", 16), Duration.ofDays(10));

    @Test
    void namesAreRfc2253AsOpenSslPrintsThem() {
        ClientCertificate c = new ClientCertificate(CLIENT.chain(), Optional.empty());
        assertThat(c.subject()).isEqualTo("CN=client one,O=Acme\\, Inc.,C=DE");
        assertThat(c.issuer()).isEqualTo("CN=Test Root,O=Test Org,C=DE");
        assertThat(CertificateText.dn(new X500Principal("CN=J\u00fcrgen,EMAILADDRESS=j@example.com,STREET=Main 1")))
                .isEqualTo("CN=J\\C3\\BCrgen,emailAddress=j@example.com,street=Main 1");
    }

    @Test
    void serialIsUpperCaseHexOfWholeBytes() {
        assertThat(new ClientCertificate(CLIENT.chain(), Optional.empty()).serial()).isEqualTo("0FED");
        assertThat(CertificateText.serial(BigInteger.valueOf(5))).isEqualTo("05");
        assertThat(CertificateText.serial(BigInteger.valueOf(0x80))).isEqualTo("80");
        assertThat(CertificateText.serial(BigInteger.ZERO)).isEqualTo("00");
        assertThat(CertificateText.serial(new BigInteger("1a2b3c4d5e6f708192a3", 16))).isEqualTo("1A2B3C4D5E6F708192A3");
    }

    @Test
    void pemFormsAsNginxGivesThem() throws Exception {
        ClientCertificate c = new ClientCertificate(CLIENT.chain(), Optional.empty());
        String pem = c.pem();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        String body = pem.substring(28, pem.length() - 26);
        assertThat(body.lines()).allMatch(l -> l.length() <= 64);
        assertThat(Base64.getMimeDecoder().decode(body)).isEqualTo(CLIENT.certificate().getEncoded());
        assertThat(c.tabbedPem()).isEqualTo(pem.substring(0, pem.length() - 1).replace("\n", "\n\t"));
        assertThat(c.tabbedPem()).doesNotEndWith("\n").contains("\n\t-----END CERTIFICATE-----");
        assertThat(c.escapedPem()).startsWith("-----BEGIN%20CERTIFICATE-----%0A")
                .endsWith("%0A-----END%20CERTIFICATE-----%0A").doesNotContain("+", "/", "=", " ");
        assertThat(CertificateText.escapeComponent("a+b/c=d e\n-._~")).isEqualTo("a%2Bb%2Fc%3Dd%20e%0A-._~");
    }

    @Test
    void fingerprintIsTheLowerCaseSha1OfTheDerForm() throws Exception {
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(CLIENT.certificate().getEncoded()));
        assertThat(new ClientCertificate(CLIENT.chain(), Optional.empty()).fingerprint()).isEqualTo(expected)
                .hasSize(40).isLowerCase();
    }

    @Test
    void validityAsOpenSslPrintsTimesAndDaysRemaining() {
        assertThat(CertificateText.time(Instant.parse("2026-12-07T12:02:29Z"))).isEqualTo("Dec  7 12:02:29 2026 GMT");
        assertThat(CertificateText.time(Instant.parse("2026-11-27T02:03:04Z"))).isEqualTo("Nov 27 02:03:04 2026 GMT");
        ClientCertificate c = new ClientCertificate(CLIENT.chain(), Optional.empty());
        long end = CLIENT.certificate().getNotAfter().getTime();
        long endSecond = end / 1000 * 1000;
        assertThat(c.daysRemaining(end - Duration.ofDays(9).plusHours(23).toMillis())).isEqualTo("9");
        assertThat(c.daysRemaining(endSecond - Duration.ofDays(10).toMillis() + 999)).isEqualTo("10");
        assertThat(c.daysRemaining(endSecond - Duration.ofDays(1).toMillis() + 1000)).isEqualTo("0");
        assertThat(c.daysRemaining(end + 1000)).isEqualTo("0");
        assertThat(c.notAfter()).endsWith(" GMT");
    }

    @Test
    void withoutACertificateEverythingIsEmptyAndVerifyIsNone() {
        ClientCertificate none = new ClientCertificate(List.of(), Optional.empty());
        assertThat(none.verify()).isEqualTo("NONE");
        assertThat(List.of(none.subject(), none.issuer(), none.serial(), none.fingerprint(), none.pem(),
                none.tabbedPem(), none.escapedPem(), none.notBefore(), none.notAfter())).allMatch(String::isEmpty);
        assertThat(ClientCertificate.NOT_REQUESTED.verify()).isEqualTo("NONE");
    }

    @Test
    void verifyTellsWhatTheOcspResponderSaid() {
        ClientCertificate verified = new ClientCertificate(CLIENT.chain(), Optional.empty());
        assertThat(verified.verify()).isEqualTo("SUCCESS");
        assertThat(verified.withOcsp(OcspVerdict.GOOD).verify()).isEqualTo("SUCCESS");
        assertThat(verified.withOcsp(OcspVerdict.REVOKED).verify()).isEqualTo("FAILED:certificate revoked");
        assertThat(verified.withOcsp(OcspVerdict.UNKNOWN).verify()).isEqualTo("FAILED:certificate status unknown");
        assertThat(verified.withOcsp(OcspVerdict.REQUEST_FAILED).verify())
                .isEqualTo("FAILED:certificate status request failed");
    }
}
