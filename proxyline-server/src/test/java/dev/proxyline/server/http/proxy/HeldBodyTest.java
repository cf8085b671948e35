package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The copy of a request body kept for an error_page's request: whole or let go, and every buffer released. */
class HeldBodyTest {
    private static HttpContent part(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private static LastHttpContent last(String text) {
        return new DefaultLastHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    @Test
    void aWholeBodyIsReplayedAsOftenAsAskedWhileTheReceivedPartsGoTheirWay() {
        HeldBody held = new HeldBody();
        HttpContent first = part("ab");
        LastHttpContent end = last("c");
        held.add(first);
        assertThat(held.whole()).isFalse();
        held.add(end);
        first.release(); // the upstream write released what it was given
        end.release();
        assertThat(held.whole()).isTrue();
        assertThat(held.length()).isEqualTo(3);
        for (int round = 0; round < 2; round++) {
            List<HttpContent> replay = held.replay();
            assertThat(replay).hasSize(2);
            assertThat(replay.get(1)).isInstanceOf(LastHttpContent.class);
            StringBuilder text = new StringBuilder();
            for (HttpContent p : replay) {
                text.append(p.content().toString(StandardCharsets.US_ASCII));
                p.release();
            }
            assertThat(text).hasToString("abc");
        }
        held.release();
        assertThat(first.refCnt()).isZero();
        assertThat(end.refCnt()).isZero();
    }

    @Test
    void aBodyOverTheLimitIsLetGoAndNeverWhole() {
        HeldBody held = new HeldBody();
        HttpContent first = new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[HeldBody.LIMIT]));
        held.add(first);
        ByteBuf over = Unpooled.wrappedBuffer(new byte[1]);
        LastHttpContent end = new DefaultLastHttpContent(over);
        held.add(end);
        assertThat(first.refCnt()).as("the copy of the first part was released").isEqualTo(1);
        assertThat(end.refCnt()).isEqualTo(1);
        assertThat(held.whole()).isFalse();
        LastHttpContent more = last("more");
        held.add(more); // nothing more is held
        assertThat(held.whole()).isFalse();
        assertThat(more.refCnt()).isEqualTo(1);
        first.release();
        end.release();
        more.release();
        held.release();
    }
}
