package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.UnexpectedHeaderStage;
import dev.proxyline.server.http.connection.HttpConnectionStages;
import io.netty.channel.Channel;
import java.util.Objects;

/**
 * What an http listen socket puts first in every connection's pipeline: with {@code proxy_protocol} the stage
 * that reads the header (and diagnoses an HTTP request or ClientHello in its place), without it the stage that
 * diagnoses a PROXY header sent by mistake.
 */
sealed interface ListenerFront {
    /** Adds this front's handler first in {@code channel}'s pipeline and {@code stages} after it. */
    void install(Channel channel, HttpConnectionStages stages, long serial);

    /** A {@code proxy_protocol} listen. */
    record ExpectsHeader(ProxyReceiveStage stage) implements ListenerFront {
        public ExpectsHeader {
            Objects.requireNonNull(stage, "stage");
        }

        @Override
        public void install(Channel channel, HttpConnectionStages stages, long serial) {
            stages.installBehind(stage, channel, serial);
        }
    }

    /** A listen without {@code proxy_protocol}. */
    record RefusesHeader(UnexpectedHeaderStage stage) implements ListenerFront {
        public RefusesHeader {
            Objects.requireNonNull(stage, "stage");
        }

        @Override
        public void install(Channel channel, HttpConnectionStages stages, long serial) {
            stage.addFirst(channel.pipeline());
            stages.install(channel, serial);
        }
    }
}
