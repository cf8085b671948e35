package dev.proxyline.server.app;

import dev.proxyline.config.SslPreread;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.NextStage;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.stream.SessionStatus;
import dev.proxyline.server.stream.StreamProxy;
import dev.proxyline.server.stream.preread.ClientHello;
import dev.proxyline.server.stream.preread.SslPrereadHandler;
import dev.proxyline.server.stream.tls.StreamHandshakes;
import dev.proxyline.server.stream.tls.StreamTlsStage;
import dev.proxyline.server.tls.StreamTlsContext;
import dev.proxyline.server.variables.SessionTls;
import io.netty.channel.Channel;
import dev.proxyline.server.transport.AcceptedChannelSetup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline of a connection accepted by one stream {@code listen} on the channel path: with
 * {@code proxy_protocol} the PROXY receive stage, which hands the connection on as it leaves; without it the
 * connection goes on at once: through the TLS handshake when the listen has {@code ssl}, then to the
 * {@code ssl_preread} stage when the server has it, which hands it to the relay once the ClientHello is in, else
 * straight to the relay. Also registers the connection for draining and gives
 * it its {@link SessionContext}; its end goes to the server's {@link StreamService}.
 */
final class ConnectionInitializer implements AcceptedChannelSetup {
    private final Optional<ProxyReceiveStage> proxyStage;
    private final StreamProxy proxy;
    private final StreamService service;
    private final SslPreread preread;
    /** The listen's {@code ssl}: its context and where its handshakes are counted; empty on a plain listen. */
    private final Optional<StreamTlsContext> tls;
    private final StreamHandshakes handshakes;
    /** Hands a connection to the relay as the PROXY stage leaves: no handler waits for its channelActive. */
    private final NextStage relay;
    private final LiveSessions sessions;
    private final AtomicLong serials;
    private final Clock clock;

    ConnectionInitializer(Optional<ProxyReceiveStage> proxyStage, StreamProxy proxy, StreamService service,
                          SslPreread preread, Optional<StreamTlsContext> tls, StreamHandshakes handshakes,
                          LiveSessions sessions, AtomicLong serials, Clock clock) {
        this.proxyStage = Objects.requireNonNull(proxyStage, "proxyStage");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.service = Objects.requireNonNull(service, "service");
        this.preread = Objects.requireNonNull(preread, "preread");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.handshakes = Objects.requireNonNull(handshakes, "handshakes");
        this.relay = (ctx, connection) -> start(ctx.channel());
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.serials = Objects.requireNonNull(serials, "serials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void setUp(Channel ch) {
        SessionContext context = SessionContext.attach(ch, serials.incrementAndGet(), clock);
        sessions.add(ch);
        proxy.prepare(ch);
        if (proxyStage.isEmpty()) {
            // No stage comes first: the relay takes the connection over as it is registered, on its loop.
            start(ch);
            return;
        }
        ProxyReceiveStage stage = proxyStage.get();
        stage.addFirst(ch.pipeline(), relay);
        // A connection the PROXY stage refuses never reaches the relay, but still gets its log line.
        InetAddress source = ch.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        ch.closeFuture().addListener(f -> {
            if (!context.relayed()) {
                service.refusedBeforeRelay(context, refusalStatus(stage, source));
            }
        });
    }

    /**
     * After the PROXY header (if any): the access checks, then the TLS handshake of an {@code ssl} listen, then
     * {@code ssl_preread} if the server has it (reading the decrypted bytes after a handshake, as nginx does), then
     * the relay, nginx's order. On the connection's event loop.
     */
    private void start(Channel client) {
        SessionContext context = SessionContext.of(client);
        context.proxyStageDone(client);
        if (!service.admits(context)) {
            client.close();
            return;
        }
        if (tls.isEmpty()) {
            afterTls(client, context);
            return;
        }
        StreamTlsStage.install(client, tls.get(), handshakes, new StreamTlsStage.Done() {
            @Override
            public void completed(SessionTls handshake) {
                context.tls(handshake);
                afterTls(client, context);
            }

            @Override
            public void failed(SessionTls handshake, Optional<String> why) {
                context.tls(handshake);
                service.tlsEnded(context, why);
            }
        });
    }

    private void afterTls(Channel client, SessionContext context) {
        if (!preread.enabled()) {
            relay(client, context);
            return;
        }
        client.pipeline().addLast(SslPrereadHandler.NAME, new SslPrereadHandler(preread, new SslPrereadHandler.Done() {
            @Override
            public void proceed(Optional<ClientHello> hello) {
                context.preread(hello);
                relay(client, context);
            }

            @Override
            public void ended(int status, Optional<ClientHello> hello, String why) {
                context.preread(hello);
                service.prereadEnded(context, status, why);
            }
        }));
    }

    /** The relay takes {@code client} over. */
    private void relay(Channel client, SessionContext context) {
        proxy.handle(client).addListener(f -> {
            // handle() never fails; a null means the event loop is shutting down
            if (f.getNow() instanceof SessionOutcome outcome) {
                service.finished(context, outcome);
            } else {
                service.abandoned(context);
            }
        });
    }

    /** 403 for a source the policy rejects outright, 400 for a header that was bad, missing or late. */
    private static int refusalStatus(ProxyReceiveStage stage, InetAddress source) {
        return stage.settings().trust().policyFor(source) == HeaderPolicy.REJECT
                ? SessionStatus.FORBIDDEN.code() : SessionStatus.BAD_REQUEST.code();
    }
}
