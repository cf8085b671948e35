package dev.proxyline.server.http.proxy;

import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.server.http.realip.AddressText;
import dev.proxyline.server.http.realip.ForwardedHeaders;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.transport.RootCause;
import dev.proxyline.server.upstream.AttemptSequence;
import dev.proxyline.server.upstream.FailureKind;
import dev.proxyline.server.upstream.Peer;
import dev.proxyline.server.upstream.RequestState;
import dev.proxyline.server.upstream.Selection;
import dev.proxyline.server.upstream.Stop;
import dev.proxyline.server.upstream.StopReason;
import dev.proxyline.server.upstream.Verdict;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.UpstreamAttempt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One request passed to an upstream and its response passed back, both streamed: each side is read
 * only while the other can take what is read (DESIGN.md, convention 7), so neither body is ever held
 * whole. Chooses the peer, reuses or opens the connection, and after a {@code 101 Switching Protocols}
 * relays raw bytes both ways.
 *
 * <p>{@code proxy_next_upstream} as nginx: a failed attempt (by the policy's conditions, including a
 * listed response status) passes the request to the next peer only while nothing was sent to the
 * client, and, once the request was sent, only if it may be repeated: POST, LOCK and PATCH need
 * {@code non_idempotent}; a request body is streamed, not buffered, so a request whose body was
 * already passed upstream is never repeated. When no retry is allowed, a listed response status is
 * passed to the client as it came.
 */
final class ProxyExchange implements UpstreamEvents, UpstreamDial.Outcome {
    private static final String X_HTTP2 = "x-http2-";

    private final RequestHandler handler;
    private final ChannelHandlerContext ctx;
    private final LocationPlan.Forward forward;
    private final LocationPlan location;
    private final RequestFacts facts;
    private final HttpRequest request;
    private final boolean upgrade;
    private final boolean hasBody;
    private final ExchangeTimers timers;
    private final Deadline readTimer;
    private final Deadline bodyTimer;
    private final Deadline sendTimer;
    private final Deadline clientSendTimer;
    private final SendProgress upstreamProgress;
    private final SendProgress clientProgress;
    /** Body parts that came while the connection was being made; made for the first such part only. */
    private ArrayDeque<HttpContent> pending;

    private HttpRequest upstreamRequest;
    private Optional<ProxyHeader> proxyHeader = Optional.empty();
    private AttemptSequence attempts;
    private Peer peer;
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    private long attemptStartNanos;
    private long connectedNanos;
    private long firstByteNanos = -1;
    private long upstreamSent;
    private long upstreamReceived;
    private boolean connected;
    private boolean reused; // the connection came from the pool
    private boolean expectContinue;
    private boolean upstreamKeepAlive;
    private boolean clientPaused;   // upstream reads wait for the client to drain
    private boolean upstreamPaused; // client reads wait for the upstream to drain
    private boolean tunneling;
    private boolean bodyForwarded; // some of the client's body went upstream: the request cannot be repeated
    private boolean over;

    ProxyExchange(RequestHandler handler, LocationPlan.Forward forward, LocationPlan location, RequestFacts facts,
                  HttpRequest request, boolean hasBody) {
        this.handler = handler;
        this.ctx = handler.context();
        this.forward = forward;
        this.location = location;
        this.facts = facts;
        this.request = request;
        this.upgrade = !handler.http2() && request.headers().contains(HttpHeaderNames.UPGRADE)
                && HopByHop.of(request.headers().valueCharSequenceIterator(HttpHeaderNames.CONNECTION)).names("upgrade");
        this.hasBody = hasBody;
        this.expectContinue = hasBody && HttpUtil.is100ContinueExpected(request);
        this.timers = handler.timers();
        this.readTimer = timers.read();
        this.bodyTimer = timers.body();
        this.sendTimer = timers.send();
        this.clientSendTimer = timers.clientSend();
        this.upstreamProgress = timers.upstreamProgress();
        this.clientProgress = timers.clientProgress();
    }

    /** The request asks to switch protocols: the client's next bytes may not be HTTP/1. */
    boolean upgrades() {
        return upgrade;
    }

    void start() {
        if (!facts.attempts.isEmpty()) {
            // An error_page's request proxied again: nginx's lists show " : " between the two exchanges' attempts.
            facts.attempts.add(UpstreamAttempt.LATER_EXCHANGE);
            facts.upstreamStatuses.add(Status.boxed(0));
        }
        upstreamRequest = upstreamRequest();
        UpstreamPlan plan = forward.upstream();
        // The request's variables are rendered only for a PROXY header upstream or a hash key.
        if (location.send().isPresent()) {
            SessionSnapshot now = facts.snapshot(handler.runtime().clock().millis());
            proxyHeader = location.send().map(b -> b.headerFor(now));
            attempts = plan.begin(() -> now);
        } else {
            attempts = plan.begin(() -> facts.snapshot(handler.runtime().clock().millis()));
        }
        connectNext(FailureKind.ERROR);
    }

    // --- the request upstream ----------------------------------------------------------------

    private HttpRequest upstreamRequest() {
        // The received headers become the upstream's, edited in place: what is read from them as received
        // is read first.
        HttpHeaders headers = request.headers();
        String host = headers.get(HttpHeaderNames.HOST, facts.serverName);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request)
                || (handler.http2() && !handler.requestDone() && !HttpUtil.isContentLengthSet(request));
        String upgradeTo = upgrade ? headers.get(HttpHeaderNames.UPGRADE) : null;
        // Most clients on HTTP/1.1 send no Connection field: no value iterator is made for them.
        HopByHop hop = headers.contains(HttpHeaderNames.CONNECTION)
                ? HopByHop.of(headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION)) : HopByHop.ALWAYS_ONLY;
        String port = handler.serverPort();
        // The request stage resolved the client when it routed the request; realip is not run twice.
        ForwardedHeaders.Request r = handler.realIp().request(location.realIp(), facts.client, facts.receivedHeaders(),
                handler.connection().scheme(), host, port, facts.requestUri);
        // The client's Connection names fields of its own message: they go before the proxy adds its own,
        // which a client must not be able to strip (the X-Forwarded-* it would hide from the app).
        removeNotForwarded(headers, hop, null);
        facts.requestId = location.forwarded().upstream(r, new NettyHeaderEdits(headers));
        if (!location.setHeaders().isEmpty()) {
            SessionSnapshot now = facts.snapshot(handler.runtime().clock().millis());
            for (LocationPlan.SetHeader rule : location.setHeaders()) {
                String value = rule.value().render(now);
                if (value.isEmpty()) {
                    headers.remove(rule.key());
                } else {
                    headers.set(rule.key(), value);
                }
            }
        }
        if (!headers.contains(HttpHeaderNames.HOST)) headers.set(HttpHeaderNames.HOST, host);
        if (chunked) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (upgrade) {
            headers.set(HttpHeaderNames.UPGRADE, upgradeTo);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else if (!forward.pool().enabled()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        String target = facts.uriChanged
                ? forward.uri().rewritten(facts.path, facts.args, facts.rewrittenInLocation)
                : forward.uri().apply(facts.requestUri, facts.path);
        // Without a body the request is one message: the encoder makes one buffer and the channel takes one
        // write, where a head and an empty last part took two of each. Its empty content needs no release.
        return hasBody ? new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), target, headers)
                : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), target, Unpooled.EMPTY_BUFFER,
                        headers, EmptyHttpHeaders.INSTANCE);
    }

    /**
     * Drops what does not go on: a request's fields that stay on this hop ({@code filter} null), or a response's
     * hop-by-hop fields and those {@code filter} hides.
     */
    private static void removeNotForwarded(HttpHeaders headers, HopByHop hop, UpstreamHeaderFilter filter) {
        // Names are collected first (the map's iterator cannot remove); the one a message mostly has, its
        // Connection field, is held without a list.
        CharSequence first = null;
        List<CharSequence> more = List.of();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (filter == null ? notForwarded(name, hop) : hop.drops(name) || filter.hides(name)) {
                if (first == null) {
                    first = name;
                } else {
                    if (more.isEmpty()) more = new ArrayList<>(4);
                    more.add(name);
                }
            }
        }
        if (first != null) headers.remove(first);
        for (CharSequence name : more) headers.remove(name);
    }

    /**
     * Whether a field named {@code name} stays on this hop: {@code hop}'s fields, {@code Expect} (answered
     * here) and what HTTP/2's conversion adds. The planner drops {@code proxy_set_header} rules for them too.
     */
    static boolean notForwarded(CharSequence name, HopByHop hop) {
        // x-http2-*: what Netty's HTTP/2 to HTTP/1 conversion adds about the stream; not the client's.
        return hop.drops(name) || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.EXPECT)
                || (name.length() > 0 && name.charAt(0) == ':')
                || AsciiString.regionMatches(name, true, 0, X_HTTP2, 0, X_HTTP2.length());
    }

    private void connectNext(FailureKind lastKind) {
        Selection selection = attempts.next();
        if (selection instanceof Stop stop) {
            fail(lastKind == FailureKind.TIMEOUT ? 504 : 502, lastKind == FailureKind.TIMEOUT
                    ? HttpCounters.Reason.UPSTREAM_TIMEOUT : HttpCounters.Reason.UPSTREAM_FAILED, stop.message());
            return;
        }
        peer = ((Selection.Chosen) selection).peer();
        attemptStartNanos = handler.runtime().nanoClock().getAsLong();
        Optional<UpstreamHandler> idle = forward.pool().take(ctx.executor(), peer.address(), proxyHeader, forward.tls());
        reused = idle.isPresent();
        if (reused) {
            upstreamHandler = idle.get();
            upstream = upstreamHandler.channel();
            upstreamHandler.attach(this);
            connected(0, attemptStartNanos);
            return;
        }
        openConnection();
    }

    /** Connects to {@link #peer} anew; with {@code https://}, the connection is made once the TLS handshake is. */
    private void openConnection() {
        upstreamHandler = new UpstreamHandler(forward.pool(),
                new UpstreamPool.Key(peer.address(), proxyHeader, forward.tls()), this);
        UpstreamDial.open(ctx.channel(), forward, peer.address(), proxyHeader, upstreamHandler,
                handler.runtime().clock()::millis, this);
    }

    @Override
    public boolean abandoned() {
        return over;
    }

    @Override
    public void connected(Channel channel) {
        upstream = channel;
        long now = now();
        connected(TimeUnit.NANOSECONDS.toMillis(now - attemptStartNanos), now);
    }

    /**
     * The attempt with {@link #peer} failed before the request was sent: logged as {@code logged} (nginx's words),
     * and the next peer is tried; when none is left the client gets 504 after a timeout, else 502, counted as
     * {@code reason} and told {@code told}.
     */
    @Override
    public void notConnected(FailureKind kind, String logged, HttpCounters.Reason reason, String told) {
        facts.attempts.add(UpstreamAttempt.failed(peer.name()));
        facts.upstreamStatuses.add(kind == FailureKind.TIMEOUT ? 504 : 502);
        handler.runtime().failures().refused(logged + " " + peer.name() + ", client: "
                + AddressText.addr(facts.client.remote()));
        Verdict verdict = attempts.fail(kind, RequestState.NOT_SENT);
        if (verdict instanceof Verdict.Retry && ctx.channel().isActive()) {
            resetAttempt();
            connectNext(kind);
        } else {
            String why = verdict instanceof Stop stop ? stop.message() : "the client went away";
            fail(kind == FailureKind.TIMEOUT ? 504 : 502, reason, told + "; " + why);
        }
    }

    /** @param nowNanos the clock as the connection became usable: one reading serves every timestamp here */
    private void connected(long connectMillis, long nowNanos) {
        connected = true;
        connectedNanos = nowNanos;
        facts.attempts.add(UpstreamAttempt.connected(peer.name(), connectMillis));
        facts.upstreamStatuses.add(0);
        if (!ctx.channel().isActive()) {
            clientClosed();
            return;
        }
        // No promises: nothing waits on these writes, and a failed write closes the upstream connection.
        upstream.write(upstreamRequest, upstream.voidPromise());
        if (pending != null) while (!pending.isEmpty()) writeUpstream(pending.poll());
        upstream.flush();
        if (expectContinue && !handler.requestDone()) {
            // As nginx: the ingress answers the expectation itself once it is ready to pass the body on.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                    ctx.voidPromise());
            expectContinue = false;
        }
        if (!handler.requestDone()) {
            bodyTimer.arm(location.timeouts().clientBody(), this::bodyTimedOut);
            askClient();
        }
        readTimer.arm(location.timeouts().proxyRead(), this::readTimedOut, nowNanos);
        upstream.read();
    }

    /** A piece of the request body from the client; this exchange owns it now. */
    void fromClient(HttpContent content) {
        bodyTimer.touch();
        if (over) {
            content.release();
        } else if (!connected) {
            if (pending == null) pending = new ArrayDeque<>(2);
            pending.add(content); // what one read brought while the connection is being made
        } else {
            writeUpstream(content);
            upstream.flush();
            if (content instanceof LastHttpContent) {
                bodyTimer.disarm();
            } else {
                askClient();
            }
        }
    }

    private void writeUpstream(HttpContent content) {
        bodyForwarded = true;
        upstreamSent += content.content().readableBytes();
        upstream.write(content, upstream.voidPromise());
    }

    private void askClient() {
        if (upstream.isWritable()) {
            pauseUpstreamSide(false);
            handler.readBody();
        } else {
            pauseUpstreamSide(true);
        }
    }

    @Override
    public void writable() {
        if (upstreamPaused) {
            pauseUpstreamSide(false);
            if (tunneling) {
                ctx.read();
            } else {
                handler.readBody();
            }
        }
    }

    /**
     * The client's body waits while the upstream does not take what was written. As nginx's
     * proxy_send_timeout, the timer runs between two writes that took bytes, not while the queue stays
     * full: an upstream that takes some, however slowly, is waited for.
     */
    private void pauseUpstreamSide(boolean paused) {
        if (paused == upstreamPaused) return;
        upstreamPaused = paused;
        if (paused) {
            long now = now();
            upstreamProgress.tookBytes(upstream, now); // the look that the timer's expiry compares with
            sendTimer.arm(location.timeouts().proxySend(), this::sendTimedOut, now);
        } else {
            sendTimer.disarm();
            upstreamProgress.forget();
        }
    }

    /** False (wait a whole timeout more) if the upstream took bytes since the last look. */
    private boolean sendTimedOut() {
        if (upstream != null && upstreamProgress.tookBytes(upstream, now())) return false;
        upstreamFailed(FailureKind.TIMEOUT, 504, HttpCounters.Reason.UPSTREAM_TIMEOUT,
                "upstream timed out (proxy_send_timeout) while sending request to upstream");
        return true;
    }

    /**
     * The upstream's response waits while the client does not take what was written. As nginx's
     * send_timeout, the timer runs between two writes that took bytes, not while the queue stays full:
     * a client that takes some, however slowly, is waited for.
     */
    private void pauseClientSide(boolean paused) {
        if (paused == clientPaused) return;
        clientPaused = paused;
        if (paused) {
            long now = now();
            clientProgress.tookBytes(ctx.channel(), now); // the look that the timer's expiry compares with
            clientSendTimer.arm(location.timeouts().send(), this::clientSendTimedOut, now);
        } else {
            clientSendTimer.disarm();
            clientProgress.forget();
        }
    }

    /** False (wait a whole timeout more) if the client took bytes since the last look; else cuts the connection. */
    private boolean clientSendTimedOut() {
        if (clientProgress.tookBytes(ctx.channel(), now())) return false;
        clientClosed(); // the client failed, not the upstream
        handler.exchangeFailed(408, HttpCounters.Reason.SEND_TIMEOUT,
                "client timed out (send_timeout) while sending response to client");
        return true;
    }

    // --- the response -----------------------------------------------------------------------

    @Override
    public void response(HttpResponse response) {
        long now = handler.runtime().nanoClock().getAsLong();
        readTimer.touch(now);
        if (firstByteNanos < 0) firstByteNanos = now;
        if (over) {
            ReferenceCountUtil.release(response);
            return;
        }
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            upstreamFailed(FailureKind.INVALID_HEADER, 502, HttpCounters.Reason.UPSTREAM_BAD_RESPONSE,
                    "upstream sent an invalid header (" + RootCause.message(response.decoderResult().cause()) + ")");
            return;
        }
        int code = response.status().code();
        facts.upstreamStatuses.set(facts.upstreamStatuses.size() - 1, Status.boxed(code));
        if (code == 101 && upgrade) {
            startTunnel(response);
            return;
        }
        if (code >= 100 && code < 200) {
            ReferenceCountUtil.release(response); // interim answers end here, as in nginx
            upstream.read();
            return;
        }
        Optional<FailureKind> failure = NextUpstreamStatus.of(code)
                .filter(kind -> forward.upstream().nextUpstream().conditions().contains(kind));
        if (failure.isPresent()) {
            Verdict verdict = failAttempt(failure.get(), requestState());
            if (verdict instanceof Verdict.Retry && ctx.channel().isActive()) {
                finishAttempt();
                ReferenceCountUtil.release(response);
                releaseUpstream(false);
                handler.runtime().failures().refused("upstream " + peer.name() + " answered " + code
                        + " (proxy_next_upstream " + failure.get().directiveName() + "), trying the next one, client: "
                        + AddressText.addr(facts.client.remote()));
                resetAttempt();
                connectNext(failure.get());
                return;
            }
            // No retry: the client gets this response as it came, as in nginx.
        }
        if (code >= 300 && location.errorPages().intercepts(code)) {
            intercept(response, code);
            return;
        }
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        handler.writeHead(clientResponse(response));
        if (response instanceof LastHttpContent last) {
            content(new DefaultLastHttpContent(last.content()));
        } else {
            askUpstream();
        }
    }

    private HttpResponse clientResponse(HttpResponse response) {
        // The upstream's decoded headers are edited in place and passed on: no copy, no revalidation.
        HttpHeaders headers = response.headers();
        removeNotForwarded(headers, HopByHop.of(headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION)),
                location.upstreamHeaders());
        long now = handler.runtime().clock().millis();
        location.upstreamHeaders().addOwn(headers, ServerHeader.date(now));
        location.redirects().upstream(headers, facts, now);
        int code = response.status().code();
        boolean noBody = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        boolean http10 = facts.protocol.equals("HTTP/1.0");
        if (!noBody && !HttpUtil.isContentLengthSet(response)) {
            if (http10) {
                handler.closeAfterResponse(); // the end of the body is the end of the connection
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (!handler.http2()) {
            if (!handler.keepAlive()) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (http10) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), headers);
    }

    @Override
    public void content(HttpContent content) {
        long now = handler.runtime().nanoClock().getAsLong();
        readTimer.touch(now);
        if (over || tunneling) {
            content.release();
            return;
        }
        upstreamReceived += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        handler.writeBody(content);
        if (last) {
            responseComplete(now);
        } else {
            askUpstream();
        }
    }

    private void askUpstream() {
        if (ctx.channel().isWritable()) {
            pauseClientSide(false);
            upstream.read();
        } else {
            pauseClientSide(true);
        }
    }

    @Override
    public void readComplete() {
        // One flush per read burst, not per part: a small response's head and body leave in one write.
        if (!over) handler.flush();
    }

    /** The client can take more again. */
    void clientWritable() {
        if (clientPaused && upstream != null) {
            pauseClientSide(false);
            readTimer.touch();
            upstream.read();
        }
    }

    private void responseComplete(long nowNanos) {
        finishAttempt(nowNanos);
        succeedAttempt();
        boolean reusable = handler.requestDone() && upstreamKeepAlive && forward.pool().enabled();
        releaseUpstream(reusable);
        end();
        handler.exchangeDone();
    }

    private void finishAttempt() {
        finishAttempt(handler.runtime().nanoClock().getAsLong());
    }

    private void finishAttempt(long now) {
        int last = facts.attempts.size() - 1;
        if (last < 0 || !connected) return;
        long firstByte = firstByteNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstByteNanos - attemptStartNanos);
        facts.attempts.set(last, facts.attempts.get(last).finished(firstByte,
                TimeUnit.NANOSECONDS.toMillis(now - connectedNanos), upstreamSent, upstreamReceived));
    }

    private void releaseUpstream(boolean reusable) {
        if (upstream == null) return;
        upstreamHandler.detach();
        if (reusable && upstream.isActive()) {
            forward.pool().offer(upstreamHandler);
            upstream.read(); // an idle connection is read only to notice the upstream closing it
        } else {
            upstream.close();
        }
        upstream = null;
    }

    private void end() {
        over = true;
        timers.suspend();
        if (pending != null) while (!pending.isEmpty()) pending.poll().release();
    }

    // --- failures -----------------------------------------------------------------------------

    @Override
    public void closed(String why) {
        if (over) return;
        if (tunneling) {
            finishAttempt();
            succeedAttempt();
            upstream = null;
            end();
            handler.context().close();
            return;
        }
        upstream = null; // already closed
        if (reused && !hasBody && !handler.responseStarted() && firstByteNanos < 0) {
            // An idle connection the upstream closed just as it was reused (its keepalive timeout):
            // nothing was answered, so the request is sent again on a new connection, as nginx does.
            reused = false;
            connected = false;
            facts.attempts.remove(facts.attempts.size() - 1);
            facts.upstreamStatuses.remove(facts.upstreamStatuses.size() - 1);
            attemptStartNanos = handler.runtime().nanoClock().getAsLong();
            openConnection();
            return;
        }
        upstreamFailed(FailureKind.ERROR, 502, HttpCounters.Reason.UPSTREAM_FAILED, handler.responseStarted()
                ? "upstream prematurely closed connection while reading upstream (" + why + ")"
                : "upstream prematurely closed connection while reading response header (" + why + ")");
    }

    private boolean readTimedOut() {
        if (clientPaused || tunneling) return false; // waiting for the client, not for the upstream
        upstreamFailed(FailureKind.TIMEOUT, 504, HttpCounters.Reason.UPSTREAM_TIMEOUT,
                "upstream timed out (proxy_read_timeout) while reading "
                        + (handler.responseStarted() ? "upstream" : "response header from upstream"));
        return true;
    }

    private boolean bodyTimedOut() {
        if (upstreamPaused || handler.requestDone()) return false;
        over = true;
        finishAttempt();
        succeedAttempt(); // the client failed, not the upstream
        releaseUpstream(false);
        end();
        handler.exchangeFailed(408, HttpCounters.Reason.CLIENT_TIMEOUT, "client timed out (client_body_timeout)"
                + " while reading the request body");
        return true;
    }

    /**
     * The attempt with {@link #peer} failed after the connection was made: the next peer gets the request
     * if nothing reached the client yet and the policy allows it; otherwise the client gets {@code code}
     * (or, with the response begun, the connection is cut).
     */
    private void upstreamFailed(FailureKind kind, int code, HttpCounters.Reason reason, String message) {
        String what = message + ", upstream: " + peer.name();
        finishAttempt();
        int last = facts.upstreamStatuses.size() - 1;
        if (last >= 0 && facts.upstreamStatuses.get(last) == 0) facts.upstreamStatuses.set(last, code);
        releaseUpstream(false);
        if (handler.responseStarted()) {
            // As nginx: once the response head went to the client the peer is released as not failed.
            succeedAttempt();
            fail(code, reason, what);
            return;
        }
        Verdict verdict = failAttempt(kind, requestState());
        if (verdict instanceof Verdict.Retry && ctx.channel().isActive()) {
            handler.runtime().failures().refused(what + ", trying the next one, client: "
                    + AddressText.addr(facts.client.remote()));
            resetAttempt();
            connectNext(kind);
        } else {
            fail(code, reason, verdict instanceof Stop stop ? what + "; " + stop.message() : what);
        }
    }

    /** How far the request got, for whether another peer may get it (nginx's rules, and no replay of a streamed body). */
    private RequestState requestState() {
        if (bodyForwarded) return RequestState.SENT_NOT_REPLAYABLE;
        String method = request.method().name();
        return method.equals("POST") || method.equals("LOCK") || method.equals("PATCH")
                ? RequestState.SENT_NON_IDEMPOTENT : RequestState.SENT;
    }

    /** Reports the open attempt as failed; after a status that was passed on anyway it is already reported. */
    private Verdict failAttempt(FailureKind kind, RequestState state) {
        if (!attempts.attemptOpen()) {
            return attempts.stopped().orElseGet(() -> new Stop(StopReason.NOT_REPLAYABLE, "attempt already ended"));
        }
        return attempts.fail(kind, state);
    }

    private void succeedAttempt() {
        if (attempts.attemptOpen()) attempts.succeed();
    }

    /** Forgets the failed attempt's connection state before the next peer is tried. */
    private void resetAttempt() {
        timers.disarm();
        upstream = null;
        connected = false;
        reused = false;
        firstByteNanos = -1;
        upstreamSent = 0;
        upstreamReceived = 0;
        upstreamKeepAlive = false;
        upstreamPaused = false;
        clientPaused = false;
    }

    private void fail(int code, HttpCounters.Reason reason, String message) {
        end();
        handler.exchangeFailed(code, reason, message);
    }

    /**
     * {@code proxy_intercept_errors}: the response goes no further and its connection is closed with its body unread,
     * as nginx 1.22 does; the handler sends the status to its {@code error_page}, a 401 with its WWW-Authenticate.
     */
    private void intercept(HttpResponse response, int code) {
        // As nginx 1.22: the page's answer carries the upstream's (first) challenge.
        if (code == 401) facts.wwwAuthenticate = response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE);
        ReferenceCountUtil.release(response);
        finishAttempt();
        succeedAttempt();
        releaseUpstream(false);
        end();
        handler.intercepted(code);
    }

    /** The request was refused mid-body (413); the upstream connection cannot be reused. */
    void abandon() {
        if (over) return;
        finishAttempt();
        succeedAttempt();
        releaseUpstream(false);
        end();
    }

    /** The client went away: nothing more to do upstream. */
    void clientClosed() {
        if (over) return;
        finishAttempt();
        succeedAttempt();
        releaseUpstream(false);
        end();
    }

    // --- upgrade ------------------------------------------------------------------------------

    private void startTunnel(HttpResponse response) {
        HopByHop hop = HopByHop.of(response.headers().valueCharSequenceIterator(HttpHeaderNames.CONNECTION));
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : response.headers()) {
            if (!hop.drops(h.getKey())) headers.add(h.getKey(), h.getValue());
        }
        headers.set(HttpHeaderNames.UPGRADE, response.headers().get(HttpHeaderNames.UPGRADE, ""));
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        ReferenceCountUtil.release(response);
        tunneling = true;
        readTimer.disarm();
        bodyTimer.disarm();
        handler.writeHead(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, headers));
        handler.writeBody(LastHttpContent.EMPTY_LAST_CONTENT);
        // From here on both connections carry the new protocol's bytes; the HTTP codecs leave, and
        // what they still buffered comes out as raw bytes.
        if (ctx.pipeline().get(HttpServerCodec.class) != null) ctx.pipeline().remove(HttpServerCodec.class);
        if (upstream.pipeline().get(UpstreamDial.CLIENT_CODEC) != null) upstream.pipeline().remove(UpstreamDial.CLIENT_CODEC);
        ctx.read();
        upstream.read();
    }

    @Override
    public void tunnel(ByteBuf bytes) {
        if (over || !tunneling) {
            bytes.release();
            return;
        }
        upstreamReceived += bytes.readableBytes();
        handler.writeRaw(bytes);
        askUpstream();
    }

    /** True once the upstream switched protocols and both connections carry raw bytes. */
    boolean isTunneling() {
        return tunneling;
    }

    /**
     * The client will send nothing more on an upgraded connection. As in nginx, a tunnel is over once either side
     * ends it: what the client sent is flushed upstream, then the client's connection closes, which ends the exchange.
     */
    void clientEndedTunnel() {
        if (over || upstream == null) {
            handler.context().close();
            return;
        }
        upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> handler.context().close());
    }

    /** Raw bytes from the client after the switch. */
    void tunnelFromClient(ByteBuf bytes) {
        if (over || !tunneling || upstream == null) {
            bytes.release();
            return;
        }
        upstreamSent += bytes.readableBytes();
        // No promise: a failed write reaches UpstreamHandler.exceptionCaught, which ends the tunnel.
        upstream.writeAndFlush(bytes, upstream.voidPromise());
        if (upstream.isWritable()) {
            ctx.read();
        } else {
            pauseUpstreamSide(true);
        }
    }

    private long now() {
        return handler.runtime().nanoClock().getAsLong();
    }
}
