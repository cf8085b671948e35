package dev.proxyline.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The receiver is what makes compare.sh trust a proxy's figures: it must answer only after a valid
 * PROXY header where one is expected, refuse a connection without one, and count the bytes after it.
 */
@Timeout(20)
class ReceiverTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void answersAfterAValidHeaderAndCountsIt() throws Exception {
        try (Receiver receiver = Receiver.start(List.of(new Receiver.Listener(ANY_PORT, Receiver.Mode.RESPOND, true)));
             SocketChannel channel = Exchange.open(receiver.addresses().get(0))) {
            Exchange.run(channel, true);

            assertThat(receiver.headers()).isEqualTo(1);
            assertThat(receiver.refused()).isZero();
        }
    }

    @Test
    void refusesAConnectionWhoseHeaderIsMissing() throws Exception {
        try (Receiver receiver = Receiver.start(List.of(new Receiver.Listener(ANY_PORT, Receiver.Mode.RESPOND, true)));
             SocketChannel channel = Exchange.open(receiver.addresses().get(0))) {
            assertThatThrownBy(() -> Exchange.run(channel, false)).isInstanceOf(EOFException.class);

            awaitAtLeast(receiver::refused, 1);
            assertThat(receiver.headers()).isZero();
        }
    }

    @Test
    void answersWithoutHeaderWhereNoneIsExpected() throws Exception {
        try (Receiver receiver = Receiver.start(List.of(new Receiver.Listener(ANY_PORT, Receiver.Mode.RESPOND, false)));
             SocketChannel channel = Exchange.open(receiver.addresses().get(0))) {
            Exchange.run(channel, false);

            assertThat(receiver.bytes()).isEqualTo(Exchange.REQUEST_BYTES);
        }
    }

    @Test
    void discardCountsOnlyTheBytesAfterAHeaderSplitAcrossWrites() throws Exception {
        try (Receiver receiver = Receiver.start(List.of(new Receiver.Listener(ANY_PORT, Receiver.Mode.DISCARD, true)))) {
            try (SocketChannel channel = Exchange.open(receiver.addresses().get(0))) {
                byte[] header = Exchange.proxyHeaderFor(channel);
                writeFully(channel, ByteBuffer.wrap(header, 0, 7));
                Thread.sleep(50); // lets the receiver see the first part on its own
                writeFully(channel, ByteBuffer.wrap(header, 7, header.length - 7));
                writeFully(channel, ByteBuffer.wrap("0123456789".repeat(100).getBytes(StandardCharsets.US_ASCII)));
            }

            awaitAtLeast(receiver::bytes, 1000);
            assertThat(receiver.bytes()).isEqualTo(1000);
            assertThat(receiver.headers()).isEqualTo(1);
        }
    }

    @Test
    void listenerSpecNamesAddressModeAndHeader() {
        Receiver.Listener listener = Receiver.Listener.parse("127.0.0.1:9001,discard,proxy");

        assertThat(listener.address()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9001));
        assertThat(listener.mode()).isEqualTo(Receiver.Mode.DISCARD);
        assertThat(listener.proxyHeader()).isTrue();
        assertThatThrownBy(() -> Receiver.Listener.parse("127.0.0.1:9001,respond,maybe"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Receiver.Listener.parse("localhost:9001,respond,none"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Counters move on the receiver's thread after the client's call returned; bounded by @Timeout. */
    private static void awaitAtLeast(LongSupplier counter, long expected) throws InterruptedException {
        while (counter.getAsLong() < expected) {
            Thread.sleep(5);
        }
    }
}
