package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.http.Drain;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The drain bookkeeping, without sockets. */
class LiveSessionsTest {

    @Test
    void aDrainCompletesWhenTheLastOpenSessionCloses() {
        LiveSessions sessions = new LiveSessions();
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        sessions.add(first);
        sessions.add(second);

        CompletableFuture<Void> idle = sessions.drain();
        assertThat(idle).isNotDone();
        first.close();
        assertThat(idle).isNotDone();
        assertThat(sessions.count()).isEqualTo(1);
        second.close();

        assertThat(idle).isDone();
        assertThat(sessions.count()).isZero();
    }

    @Test
    void sessionsClosingBeforeTheDrainDoNotCompleteItEarlyAndNoneOpenCompletesAtOnce() {
        LiveSessions sessions = new LiveSessions();
        EmbeddedChannel channel = new EmbeddedChannel();
        sessions.add(channel);
        channel.close();

        assertThat(sessions.drain()).isDone();
    }

    @Test
    void aDrainTellsEveryOpenSessionThatItBeganOnce() {
        LiveSessions sessions = new LiveSessions();
        List<Object> firstEvents = new ArrayList<>();
        List<Object> closedEvents = new ArrayList<>();
        EmbeddedChannel first = new EmbeddedChannel(recording(firstEvents));
        EmbeddedChannel closed = new EmbeddedChannel(recording(closedEvents));
        sessions.add(first);
        sessions.add(closed);
        closed.close();

        sessions.drain();

        assertThat(firstEvents).containsExactly(Drain.REQUESTED);
        assertThat(closedEvents).isEmpty();
        first.close();
    }

    private static ChannelInboundHandlerAdapter recording(List<Object> events) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        };
    }

    @Test
    void closeAllClosesWhatIsStillOpenAndSaysHowMany() {
        LiveSessions sessions = new LiveSessions();
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        sessions.add(first);
        sessions.add(second);
        CompletableFuture<Void> idle = sessions.drain();

        assertThat(sessions.closeAll()).isEqualTo(2);

        assertThat(first.isOpen()).isFalse();
        assertThat(second.isOpen()).isFalse();
        assertThat(idle).isDone();
    }

    @Test
    void aSessionWithoutAChannelCountsUntilRemovedIsCutByCloseAllAndHoldsTheDrainUntilItEnds() {
        LiveSessions sessions = new LiveSessions();
        AtomicInteger cuts = new AtomicInteger();
        LiveSessions.Detached raw = cuts::incrementAndGet;
        EmbeddedChannel channel = new EmbeddedChannel();
        sessions.add(raw);
        sessions.add(channel);
        CompletableFuture<Void> idle = sessions.drain();
        assertThat(sessions.count()).isEqualTo(2);

        assertThat(sessions.closeAll()).isEqualTo(2);
        assertThat(cuts).hasValue(1);
        // A cut session is gone once it has ended and said so, not when asked to end.
        assertThat(idle).isNotDone();
        sessions.remove(raw);

        assertThat(idle).isDone();
        assertThat(sessions.count()).isZero();
    }
}
