package dev.proxyline.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The floor is only a fair measure if it does the balancer's whole job: every connection reaches the receiver
 * behind a PROXY header the receiver accepts, and the answer comes back, for many connections in a row (the
 * receiver refuses a connection without a valid header, which {@link Exchange#run} would see as EOF).
 */
@Timeout(20)
class RawFdFloorTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void relaysEachExchangeBehindAProxyHeaderTheReceiverAccepts() throws Exception {
        assumeTrue(Epoll.isAvailable(), "RawFdFloor runs on Linux's epoll only");
        try (Receiver receiver = Receiver.start(List.of(new Receiver.Listener(ANY_PORT, Receiver.Mode.RESPOND, true)));
             RawFdFloor floor = RawFdFloor.start(ANY_PORT, receiver.addresses().get(0))) {
            for (int i = 0; i < 50; i++) {
                try (SocketChannel channel = Exchange.open(floor.address())) {
                    Exchange.run(channel, false);
                }
            }

            assertThat(receiver.headers()).isEqualTo(50);
            assertThat(receiver.refused()).isZero();
        }
    }
}
