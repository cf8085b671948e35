package dev.proxyline.server.stream.preread;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrereadBufferTest {
    @Test
    void aCompleteHelloIsDoneWithWhatItSaysAndEveryByteIsKeptForTheUpstream() throws Exception {
        byte[] hello = JdkClientHello.of("svc.example", List.of("h2"), "TLSv1.3");
        byte[] withMore = Arrays.copyOf(hello, hello.length + 3);
        PrereadBuffer buffer = new PrereadBuffer(16 * 1024);
        buffer.add(ByteBuffer.wrap(withMore), 0, 10);
        assertThat(buffer.judge().kind()).isEqualTo(PrereadBuffer.Verdict.Kind.NEED_MORE);
        buffer.add(ByteBuffer.wrap(withMore), 10, withMore.length - 10);
        PrereadBuffer.Verdict verdict = buffer.judge();
        assertThat(verdict.kind()).isEqualTo(PrereadBuffer.Verdict.Kind.DONE);
        assertThat(verdict.hello()).contains(new ClientHello(0x0304, "svc.example", "h2"));
        assertThat(Arrays.copyOf(buffer.array(), buffer.length())).isEqualTo(withMore);
    }

    @Test
    void plainTextIsDoneWithoutAHello() {
        PrereadBuffer buffer = new PrereadBuffer(16);
        buffer.add(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)), 0, 16);
        PrereadBuffer.Verdict verdict = buffer.judge();
        assertThat(verdict.kind()).isEqualTo(PrereadBuffer.Verdict.Kind.DONE);
        assertThat(verdict.hello()).isEmpty();
        assertThat(verdict.why()).contains("not a handshake record");
    }

    @Test
    void aHelloNotCompleteWhenTheLimitIsReachedIsFullAndOnlyTheLimitIsJudged() throws Exception {
        byte[] hello = JdkClientHello.of("svc.example", List.of(), "TLSv1.3");
        PrereadBuffer buffer = new PrereadBuffer(hello.length - 1);
        assertThat(buffer.room()).isEqualTo(hello.length - 1);
        // A read may bring more than the room: the hello is complete, but nginx would not have read its last byte.
        buffer.add(ByteBuffer.wrap(hello), 0, hello.length);
        assertThat(buffer.room()).isZero();
        assertThat(buffer.judge().kind()).isEqualTo(PrereadBuffer.Verdict.Kind.FULL);
        assertThat(buffer.judge().why()).isEqualTo("preread buffer full");
        assertThat(new PrereadBuffer(hello.length).judge().kind()).isEqualTo(PrereadBuffer.Verdict.Kind.NEED_MORE);
    }

    @Test
    void anUnfinishedPrereadShowsEmptyValuesOnceAByteCameAndNotFoundBefore() {
        PrereadBuffer buffer = new PrereadBuffer(100);
        assertThat(buffer.unfinished()).isEmpty();
        buffer.add(ByteBuffer.wrap(new byte[] {0x16}), 0, 1);
        assertThat(buffer.unfinished()).contains(ClientHello.INCOMPLETE);
        assertThat(ClientHello.INCOMPLETE.protocol()).isEmpty();
    }
}
