package dev.proxyline.server.http.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.util.function.LongSupplier;

/**
 * The deadlines of a connection's exchanges, made once per connection because its exchanges run one
 * at a time: an ended exchange suspends them, so the next one re-arms a pending timer instead of
 * cancelling one and scheduling another per request.
 *
 * @param read             proxy_read_timeout: the upstream sends nothing
 * @param body             client_body_timeout: the client sends no more of the request body
 * @param send             proxy_send_timeout: the upstream takes no more of the request
 * @param clientSend       send_timeout: the client takes no more of the response
 * @param upstreamProgress what {@code send} judges the upstream's taking by
 * @param clientProgress   what {@code clientSend} judges the client's taking by
 */
record ExchangeTimers(Deadline read, Deadline body, Deadline send, Deadline clientSend,
                      SendProgress upstreamProgress, SendProgress clientProgress) {
    static ExchangeTimers on(EventExecutor loop, LongSupplier nanos) {
        return new ExchangeTimers(new Deadline(loop, nanos), new Deadline(loop, nanos), new Deadline(loop, nanos),
                new Deadline(loop, nanos), new SendProgress(), new SendProgress());
    }

    /** The exchange ended; another may follow on the connection soon. */
    void suspend() {
        read.suspend();
        body.suspend();
        send.suspend();
        clientSend.suspend();
        upstreamProgress.forget();
        clientProgress.forget();
    }

    /** The connection is gone: no timer may keep it referenced, nor a look keep a buffer. */
    void disarm() {
        read.disarm();
        body.disarm();
        send.disarm();
        clientSend.disarm();
        upstreamProgress.forget();
        clientProgress.forget();
    }
}
