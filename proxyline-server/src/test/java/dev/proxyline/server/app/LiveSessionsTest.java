package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
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
}
