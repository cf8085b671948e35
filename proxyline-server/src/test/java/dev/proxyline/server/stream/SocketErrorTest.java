package dev.proxyline.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.server.transport.Transport;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketErrorTest {

    @BeforeAll
    static void needsEpoll() {
        assumeTrue(Transport.epollAvailable(), "epoll is not available here");
    }

    @Test
    void aResetByThePeerIsNamedByTheKernelsDescriptionOnceAndAHealthySocketHasNone() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket socket = LinuxSocket.newSocketStream(false);
            try {
                socket.connect(server.getLocalSocketAddress());
                java.net.Socket peer = server.accept();
                while (!socket.finishConnect()) {
                    Thread.sleep(1);
                }
                assertThat(SocketError.take(socket)).isEmpty();

                peer.setSoLinger(true, 0);
                peer.close();
                Optional<IOException> error = awaitError(socket);
                assertThat(error).get(InstanceOfAssertFactories.THROWABLE)
                        .isInstanceOf(SocketException.class).hasMessage("Connection reset by peer");
                assertThat(SocketError.take(socket)).as("taken, so cleared").isEmpty();
            } finally {
                socket.close();
            }
        }
    }

    /** The reset travels through loopback on the closing thread; bounded in case it does not. */
    private static Optional<IOException> awaitError(Socket socket) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Optional<IOException> error = SocketError.take(socket);
        while (error.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
            error = SocketError.take(socket);
        }
        return error;
    }
}
