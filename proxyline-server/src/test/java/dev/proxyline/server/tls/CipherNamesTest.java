package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CipherNamesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ECDHE-RSA-AES128-GCM-SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, ECDHE-ECDSA-AES256-GCM-SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, ECDHE-ECDSA-CHACHA20-POLY1305",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, ECDHE-RSA-AES128-SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA, AES128-SHA",
            "TLS_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256, TLS_CHACHA20_POLY1305_SHA256",
            "TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
    })
    void namesSuitesAsOpenSslAndNginxDo(String iana, String openSsl) {
        assertThat(CipherNames.openSsl(iana)).isEqualTo(openSsl);
    }
}
