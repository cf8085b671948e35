package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.UnexpectedHeaderStage;
import io.netty.channel.ChannelPipeline;
import java.util.Objects;

/**
 * What an http listen socket puts first in every connection's pipeline: with {@code proxy_protocol} the stage
 * that reads the header (and diagnoses an HTTP request or ClientHello in its place), without it the stage that
 * diagnoses a PROXY header sent by mistake.
 */
sealed interface ListenerFront {
    /** Adds this front's handler first in {@code pipeline}. */
    void addFirst(ChannelPipeline pipeline);

    /** A {@code proxy_protocol} listen. */
    record ExpectsHeader(ProxyReceiveStage stage) implements ListenerFront {
        public ExpectsHeader {
            Objects.requireNonNull(stage, "stage");
        }

        @Override
        public void addFirst(ChannelPipeline pipeline) {
            stage.addFirst(pipeline);
        }
    }

    /** A listen without {@code proxy_protocol}. */
    record RefusesHeader(UnexpectedHeaderStage stage) implements ListenerFront {
        public RefusesHeader {
            Objects.requireNonNull(stage, "stage");
        }

        @Override
        public void addFirst(ChannelPipeline pipeline) {
            stage.addFirst(pipeline);
        }
    }
}
