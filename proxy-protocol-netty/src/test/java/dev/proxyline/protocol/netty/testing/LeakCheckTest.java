package dev.proxyline.protocol.netty.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The leak check must be able to fail, or a green run proves nothing. */
class LeakCheckTest {

    @Test
    void anUnreleasedBufferIsReportedAsALeak() {
        LeakCheck.collectLeaks();
        leakOne();
        assertThat(LeakCheck.collectLeaks()).isNotEmpty().allMatch(leak -> leak.startsWith("LEAK of"));
    }

    private static void leakOne() {
        ByteBuf leaked = Unpooled.directBuffer(8);
        leaked.writeLong(42);
    }
}
