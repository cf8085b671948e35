package dev.proxyline.server.stream.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.http.connection.TlsHandshakes.Failure;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class StreamHandshakesTest {
    @Test
    void eachFailureIsCountedByItsReasonAndWordedAsNginxLogsIt() {
        StreamHandshakes h = new StreamHandshakes();
        // nginx writes no line for a timeout, not even at level info.
        assertThat(h.failed(new SslHandshakeTimeoutException("handshake timed out after 1000ms"))).isEmpty();
        assertThat(h.failed(new ClosedChannelException()))
                .contains("peer closed connection in SSL handshake while SSL handshaking");
        assertThat(h.failed(new DecoderException(new NotSslRecordException("not an SSL/TLS record: 474554"))))
                .contains("SSL_do_handshake() failed (not a TLS record: plain text to an ssl port?) while SSL "
                        + "handshaking");
        assertThat(h.failed(new DecoderException(new SSLHandshakeException("error:10000410:SSL routines:"
                + "OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE"))))
                .contains("SSL_do_handshake() failed (error:10000410:SSL routines:OPENSSL_internal:"
                        + "SSLV3_ALERT_HANDSHAKE_FAILURE) while SSL handshaking");
        assertThat(h.failed(new ClosedChannelException())).hasValueSatisfying(why ->
                assertThat(why).startsWith("peer closed connection"));
        assertThat(h.failed(Failure.TIMEOUT)).isEqualTo(1);
        assertThat(h.failed(Failure.CLOSED)).isEqualTo(2);
        assertThat(h.failed(Failure.NOT_TLS)).isEqualTo(1);
        assertThat(h.failed(Failure.REFUSED)).isEqualTo(1);
        assertThat(h.completed()).isZero();
    }

    @Test
    void completedHandshakesCountTheOnesWhoseCertificateWasThenRefused() {
        StreamHandshakes h = new StreamHandshakes();
        h.completed(true);
        h.completed(false);
        assertThat(h.completed()).isEqualTo(2);
        assertThat(h.certificateRefused()).isEqualTo(1);
    }
}
