package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NothingToServeTest {
    @ParameterizedTest
    @CsvSource({
            "GET, 404", "HEAD, 404", "POST, 404",
            "PUT, 405", "DELETE, 405", "OPTIONS, 405", "PATCH, 405", "BREW, 405"
    })
    void onlyTheMethodsNginxsStaticModuleLooksForAFileWithAreNotFound(String method, int status) {
        assertThat(NothingToServe.status(method)).isEqualTo(status);
    }
}
