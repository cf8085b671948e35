package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class UpstreamTlsHandshakeTest {
    @Test
    void aHandshakeThatTimedOutIsATimeoutOfTheServer() {
        UpstreamHandshakeException e = UpstreamTlsHandshake.failure(
                new SslHandshakeTimeoutException("handshake timed out after 1000ms"));
        assertThat(e.timedOut()).isTrue();
        assertThat(e.getMessage()).isEqualTo("upstream timed out");
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void aRefusedHandshakeIsWordedAsNginxWithTheEngineInnermostReason() {
        UpstreamHandshakeException e = UpstreamTlsHandshake.failure(new DecoderException(
                new SSLHandshakeException("error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION")));
        assertThat(e.timedOut()).isFalse();
        assertThat(e.getMessage()).isEqualTo("SSL_do_handshake() failed (error:1000042e:SSL routines:OPENSSL_internal:"
                + "TLSV1_ALERT_PROTOCOL_VERSION)");
    }
}
