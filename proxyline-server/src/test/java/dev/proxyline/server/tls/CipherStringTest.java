package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CipherStringTest {
    @Test
    void nginxDefaultIsEveryStrongSuiteWithout3des() {
        assertThat(CipherString.evaluate("HIGH:!aNULL:!MD5"))
                .contains("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA")
                .doesNotContain("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    }

    @Test
    void plusBetweenWordsMeansBoth() {
        assertThat(CipherString.evaluate("ECDHE+AESGCM")).containsExactly(
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void explicitNamesKeepTheirOrderInOpenSslOrIanaSpelling() {
        assertThat(CipherString.evaluate("ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void bangRemovesForGoodWhileMinusLetsALaterWordAddBack() {
        assertThat(CipherString.evaluate("!kRSA:AESGCM")).allMatch(s -> !s.startsWith("TLS_RSA_"));
        assertThat(CipherString.evaluate("AESGCM:-kRSA:AES128-GCM-SHA256")).endsWith("TLS_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void leadingPlusMovesToTheEnd() {
        assertThat(CipherString.evaluate("ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:+SHA1"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void strengthSortsLongerKeysFirst() {
        assertThat(CipherString.evaluate("AES128-SHA:AES256-SHA:@STRENGTH"))
                .containsExactly("TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void unknownWordsMatchNothingAsInOpenSsl() {
        assertThat(CipherString.evaluate("RC4:CAMELLIA:!SEED")).isEmpty();
        assertThat(CipherString.evaluate("EECDH+AESGCM:EDH+AESGCM:!PSK:!SRP")).hasSize(6);
    }
}
