package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.server.http.Drain;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.auth.AccessPhase;
import dev.proxyline.server.http.realip.AddressText;
import dev.proxyline.server.http.realip.ForwardedHeaders;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.http.routing.HostRoute;
import dev.proxyline.server.http.routing.LocationRoute;
import dev.proxyline.server.http.routing.RegexMatches;
import dev.proxyline.server.http.routing.RequestTarget;
import dev.proxyline.server.http.routing.UriPath;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.TlsFacts;
import dev.proxyline.server.variables.Template;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Serves the requests of one HTTP/1.1 connection or one HTTP/2 stream: routes each by Host and
 * path, runs the limit and access phases, and hands {@code proxy_pass} requests to a
 * {@link ProxyExchange}; the answers it makes itself ({@code return}, errors, refusals) are
 * {@link OwnAnswers}'. Requests are served one at a time; the connection is read only on demand
 * (auto-read off), so nothing is read ahead of what the current exchange can pass on.
 */
final class RequestHandler extends ChannelDuplexHandler {
    private static final String FIRST_BYTE_WATCH = "http-first-byte-watch";

    private final HttpConnection connection;
    private final HttpListenerPlan plan;
    private final HeadRules headRules;
    private final HttpRuntime runtime;
    private final boolean http2;
    private ChannelHandlerContext ctx;
    private Deadline idleTimer;
    private ExchangeTimers exchangeTimers;
    private ConnectionRealIp realIp; // built for the first request
    private RealIp.Result peerAsClient; // a request's client until realip resolves it; made for the first request
    private String serverPort; // worked out for the first request
    private int served;
    // The last Host field and its $host form: a keep-alive connection's requests name the same host.
    private String lastHostField = "";
    private String lastHost = "";
    private boolean headerTimerArmed; // client_header_timeout runs for the request being received
    /** Bytes came between requests; client_header_timeout starts if the read ends without a whole head. */
    private boolean headBegun;

    // The request being served; facts == null between requests.
    private RequestFacts facts;
    private LocationPlan location;
    /** The request being served, and its server once routing began (before, no error_page applies). */
    private HttpRequest request;
    private ServerPlan server;
    /** Runs rewrite-module steps; made for the connection's first request that has any. */
    private RewriteSteps rewriteSteps;
    /** The regex locations' matches of the request's last location search, reused by the next; made on first need. */
    private RegexMatches locationMatches;
    /** limit_req and limit_conn state; made for the connection's first request of a location with limits. */
    private RequestLimits limits;
    /** The gzip filter of the request's response; null when its location does not compress. */
    private GzipResponse gzip;
    private ProxyExchange exchange;
    /** A copy of the request body for an error_page's request; made only in a location with pages. */
    private HeldBody heldBody;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean keepAlive;
    private boolean closeAfter;
    private long bodyReceived;
    private ClientWrites writes;
    private OwnAnswers answers; // made for the connection's first own answer
    /** The decoder still owes parts of the current request, up to its LastHttpContent. */
    private boolean partsPending;
    /** Parts of the next requests, read ahead while one was served; nothing more is read while any wait. */
    private final ArrayDeque<Object> held = new ArrayDeque<>(2);
    private boolean replaying;
    /** Bytes of the next request arrived while one was served: it gets client_header_timeout. */
    private boolean earlyBytes;
    /** Bytes of a head came since the last request (or the connection's start): its timeout is a client's. */
    private boolean headBytes;
    /**
     * The idle and header timeouts' end: nginx closes without an answer, with a reset under
     * {@code reset_timedout_connection on} when a head had begun (an idle connection is closed quietly).
     */
    private final BooleanSupplier closeIfIdle = this::closeIdle;

    RequestHandler(HttpConnection connection, HttpListenerPlan plan, HeadRules headRules, HttpRuntime runtime) {
        this.connection = connection;
        this.plan = plan;
        this.headRules = headRules;
        this.runtime = runtime;
        this.http2 = HttpConnection.HTTP_2.equals(connection.protocol());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.idleTimer = new Deadline(ctx.executor(), runtime.nanoClock());
        this.exchangeTimers = ExchangeTimers.on(ctx.executor(), runtime.nanoClock());
        this.writes = new ClientWrites(ctx);
        ctx.channel().config().setAutoRead(false);
        ChannelHandlerContext decoder = http2 ? null : ctx.pipeline().context(HttpServerCodec.class);
        if (decoder != null) ctx.pipeline().addBefore(decoder.name(), FIRST_BYTE_WATCH, new FirstByteWatch(this::bytesArrived));
        armHeaderTimer();
        if (ctx.channel().isActive()) ctx.read();
    }

    private boolean closeIdle() {
        if (facts == null) {
            if (headerTimerArmed && headBytes && !http2
                    && plan.defaultServer().server().settings().client().resetTimedoutConnection()) {
                ResetOnClose.arm(ctx.channel());
            }
            ctx.close();
        }
        return true;
    }

    /** nginx: {@code client_header_timeout} of the listener's default server, as the Host is not known yet. */
    private void armHeaderTimer() {
        headerTimerArmed = true;
        idleTimer.arm(plan.defaultServer().serverLevel().timeouts().clientHeader(), closeIfIdle);
    }

    /** Bytes came in: between requests they start the next request's head, which gets client_header_timeout. */
    private void bytesArrived() {
        if (facts != null) {
            if (requestDone) earlyBytes = true;
            return;
        }
        headBytes = true;
        if (!headerTimerArmed) {
            // Decided when the read ends: mostly it brought the whole head, and arming a timer that the
            // request suspends at once would cost a clock reading per request.
            headBegun = true;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (headBegun) {
            headBegun = false;
            if (facts == null && !headerTimerArmed) armHeaderTimer();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (belongsToNextRequest(msg)) {
            held.add(msg);
        } else {
            dispatch(msg);
        }
    }

    /** Read ahead (HTTP/1 only): a part of a request that must wait until the current one is answered. */
    private boolean belongsToNextRequest(Object msg) {
        if (http2 || msg instanceof ByteBuf) return false;
        if (!held.isEmpty()) return true;
        if (msg instanceof HttpRequest) return facts != null;
        return msg instanceof HttpContent && !partsPending && facts != null;
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            partsPending = !http2 && !(request instanceof LastHttpContent);
            // A full request (an HTTP/2 stream that ended with its headers) carries its body in itself.
            HttpContent body = request instanceof HttpContent c ? new DefaultLastHttpContent(c.content()) : null;
            if (!onRequest(request)) {
                ReferenceCountUtil.release(body);
            } else if (body != null) {
                onContent(body);
            }
        } else if (msg instanceof HttpContent content) {
            if (content instanceof LastHttpContent) partsPending = false;
            onContent(content);
        } else if (msg instanceof ByteBuf bytes && exchange != null) {
            exchange.tunnelFromClient(bytes);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) exchange.clientWritable();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idleTimer.disarm();
        if (exchange != null) exchange.clientClosed();
        exchangeTimers.disarm();
        if (limits != null) limits.cancel(); // a request limit_req delays ends as nginx's: 499
        while (!held.isEmpty()) ReferenceCountUtil.release(held.poll());
        if (facts != null) {
            if (facts.status == 0) facts.status = 499; // nginx's "client closed request"
            log();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.REQUESTED && !http2) {
            closeAfter = true;
            if (facts == null) ctx.close();
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client will send nothing more: finish the request being served, then close.
            closeAfter = true;
            if (facts == null || (limits != null && limits.delaying())) {
                ctx.close(); // nginx ends a delayed request whose client closed (499)
            } else if (exchange != null && exchange.isTunneling()) {
                exchange.clientEndedTunnel();
            } else if (exchange != null && !http2 && !location.ignoreClientAbort()) {
                clientAborted();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * As nginx with {@code proxy_ignore_client_abort off}: a client that closed its side while its request is proxied
     * has given the request up, so the upstream connection is closed too and the request is logged with 499 (or with
     * the status of a response already begun). Frees the upstream of requests nobody waits for, long polls above all.
     */
    private void clientAborted() {
        answers().count(HttpCounters.Reason.CLIENT_ABORTED, "client prematurely closed connection, so upstream "
                + "connection is closed too");
        ctx.close(); // channelInactive ends the exchange and logs the request
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by the client, mostly: the connection is over; channelInactive logs the request.
        ctx.close();
    }

    /** Starts serving {@code request}; false if it came while another was served (then the connection closes). */
    private boolean onRequest(HttpRequest request) {
        if (http2) {
            idleTimer.disarm(); // one request per stream
        } else {
            idleTimer.suspend(); // re-armed when the response is done
        }
        if (facts != null) {
            // Only a misbehaving peer sends a second head before its first body ended.
            ctx.close();
            return false;
        }
        served++;
        earlyBytes = false;
        headBegun = false;
        headBytes = false;
        if (peerAsClient == null) peerAsClient = new RealIp.Result(connection.peer(), connection.peer(), false);
        facts = new RequestFacts(connection, runtime.clock().millis(), runtime.nanoClock().getAsLong(),
                request.headers(), peerAsClient);
        location = plan.defaultServer().serverLevel();
        this.request = request;
        this.server = null;
        gzip = null;
        exchange = null;
        responseStarted = false;
        closeAfter = false;
        bodyReceived = 0;
        requestDone = !hasBody(request);
        facts.method = request.method().name();
        facts.requestUri = request.uri();
        if (!http2) facts.protocol = request.protocolVersion().text();
        RequestHeadScan.Verdict fields = RequestHeadScan.scan(request, facts, http2, headRules);
        if (facts.droppedField != null) droppedField();
        keepAlive = !http2 && HttpUtil.isKeepAlive(request);

        RequestHeadChecks.Refusal refusal = RequestHeadChecks.refusal(request, http2);
        if (refusal != null) {
            refuseHead(refusal.status(), refusal.message(), refusal.inRequestLine() ? null : firstHost(request));
            return true;
        }
        if (fields != RequestHeadScan.Verdict.READ) {
            String hostRead = fields == RequestHeadScan.Verdict.REQUEST_LINE_TOO_LONG ? null
                    : fields.afterHost ? firstHost(request) : targetHost(request);
            refuseHead(fields.status, RequestHeadScan.message(fields, facts.tooLongField), hostRead);
            return true;
        }
        // The values as the map hands them out: a list per request only to see that there is one.
        Iterator<? extends CharSequence> hosts = request.headers().valueCharSequenceIterator(HttpHeaderNames.HOST);
        String host = hosts.hasNext() ? hosts.next().toString() : null;
        if (hosts.hasNext() || (host == null && !http2 && request.protocolVersion().equals(HttpVersion.HTTP_1_1))) {
            // nginx refuses a second Host once the first one chose the server (the iterator runs last to first)
            refuseHead(400, host == null ? "client sent HTTP/1.1 request without \"Host\""
                    : "client sent duplicate host header", firstHost(request));
            return true;
        }
        if (!http2) {
            // An absolute-form target's host replaces the Host header, and its origin-form is what is routed and sent.
            RequestTarget target = RequestTarget.of(request.uri());
            if (target instanceof RequestTarget.BadHost bad) {
                refuseHead(400, "client sent invalid host in request line: " + bad.reason(), null);
                return true;
            }
            if (target instanceof RequestTarget.Absolute absolute) {
                host = absolute.authority();
                request.setUri(absolute.originForm());
                request.headers().set(HttpHeaderNames.HOST, host);
                facts.requestUri = absolute.originForm();
            }
        }
        HostRoute route = host == null ? plan.hosts().selectWithoutHost() : plan.hosts().select(host);
        if (route instanceof HostRoute.BadHost bad) {
            refuseHead(400, "client sent invalid host header: " + bad.reason(), null);
            return true;
        }
        ServerPlan server = plan.server(((HostRoute.Server) route).server());
        facts.serverName = server.name();
        facts.host = host == null ? server.name() : host(host);
        facts.hostSent = host != null;
        location = server.serverLevel();
        if (connection.tls().isPresent() && server.server().settings().tls().clientVerify().mode() != ClientVerify.Mode.OFF
                && refusedClientCertificate(server, host != null)) {
            return true;
        }
        LocationPlan.Action action = location.action();
        int q = request.uri().indexOf('?');
        facts.args = q < 0 ? "" : request.uri().substring(q + 1);
        boolean routed = !(action instanceof LocationPlan.Answer);
        if (routed || !server.rewrites().isEmpty()) {
            UriPath.Result normal = UriPath.normalize(request.uri());
            if (normal instanceof UriPath.BadRequest bad) {
                // nginx reads the target with the request line, before any Host
                refuseHead(400, "client sent invalid request target: " + bad.reason(), null);
                return true;
            }
            facts.path = ((UriPath.Normal) normal).path();
        } else {
            facts.path = q < 0 ? request.uri() : request.uri().substring(0, q);
        }
        this.server = server;
        route(request, server, null);
        return true;
    }

    /**
     * A head refused before routing, as nginx refuses it while reading the head: counted, its connection closed after
     * the answer, which goes to an {@code error_page} of the server nginx had chosen by then: {@code host}'s (the first
     * Host field, or the request line's host) when one was read and valid, else the listener's default server.
     */
    private void refuseHead(int code, String message, String host) {
        HostRoute route = host == null ? null : plan.hosts().select(host);
        boolean byHost = route instanceof HostRoute.Server;
        ServerPlan chosen = byHost ? plan.server(((HostRoute.Server) route).server()) : plan.defaultServer();
        facts.serverName = chosen.name();
        facts.host = byHost ? host(host) : chosen.name();
        facts.hostSent = byHost;
        server = chosen;
        location = chosen.serverLevel();
        if (code == RequestHeadChecks.HEADER_TOO_LARGE) {
            answers().reject(code, 400, HttpCounters.Reason.BAD_REQUEST, message,
                    "400 Request Header Or Cookie Too Large\n");
        } else {
            answers().reject(code, HttpCounters.Reason.BAD_REQUEST, message);
        }
    }

    /**
     * nginx's {@code ignore_invalid_headers on} dropped fields of the head: counted, and logged as nginx logs it (at
     * info, the name only: the value may be credentials).
     */
    private void droppedField() {
        runtime.counters().count(HttpCounters.Reason.INVALID_HEADER);
        runtime.failures().refused("client sent invalid header line: \"" + facts.droppedField + ": ...\""
                + ", client: " + AddressText.addr(connection.peer()) + ", request: \"" + facts.method + " "
                + facts.requestUri + " " + facts.protocol + "\"");
    }

    /** The host of a refused head as nginx had read it: an absolute-form target's, else the first Host field's. */
    private static String firstHost(HttpRequest request) {
        return RequestTarget.of(request.uri()) instanceof RequestTarget.Absolute absolute ? absolute.authority()
                : request.headers().get(HttpHeaderNames.HOST);
    }

    /** The host of an absolute-form target, which nginx reads with the request line; else null. */
    private static String targetHost(HttpRequest request) {
        return RequestTarget.of(request.uri()) instanceof RequestTarget.Absolute absolute ? absolute.authority() : null;
    }

    /**
     * nginx's phases from the server's rewrites on: the location search (again after a {@code rewrite ... last}), the
     * 413, the location's rewrites, the limits, allow/deny and the content. An {@code error_page}'s redirect comes here
     * again; one to a named location ({@code named}) starts at that location's rewrites, as nginx's does.
     */
    private void route(HttpRequest request, ServerPlan server, LocationPlan named) {
        location = server.serverLevel();
        LocationPlan.Action action = location.action();
        boolean routed = named != null || !(action instanceof LocationPlan.Answer);
        // realip as the plan whose steps run sees it: the server's, then the location's.
        LocationPlan clientFor = null;
        if (named == null && !server.rewrites().isEmpty()) {
            facts.client = realIp().resolve(location.realIp(), facts);
            clientFor = location;
            if (rewrite(server, server.rewrites(), false) == null) return;
        }
        for (boolean search = named == null; routed; facts.uriChanges++) {
            if (facts.uriChanges > MAX_URI_CHANGES) {
                answers().reject(500, HttpCounters.Reason.REWRITE_CYCLE, "rewrite or internal redirection cycle "
                        + "while processing \"" + facts.path + "\"");
                return;
            }
            LocationRoute found = null;
            if (search) {
                found = findLocation(server);
                location = server.serverLevel();
                if (found instanceof LocationRoute.Found f) {
                    location = server.plan(f.location());
                } else if (found instanceof LocationRoute.Redirect redirect) {
                    location = server.plan(redirect.location());
                }
                if (location.errorPages().internal() && !facts.internal) {
                    answers().answer(404, Optional.empty()); // nginx's internal location, found by a client's own URI
                    return;
                }
                if (refusedBodySize(request)) return;
            } else {
                location = named;
                search = true;
            }
            // The action is the location's, or its limit_except block's for the methods the block limits (nginx's
            // find-config phase).
            location = location.forMethod(request.method().name());
            action = location.action();
            if (found instanceof LocationRoute.Redirect redirect) {
                // Decided while the location is found, before its rewrite steps, as in nginx.
                action = new LocationPlan.Answer(301, Optional.of(Template.literal(redirect.target()
                        + (facts.args.isEmpty() ? "" : "?" + facts.args))));
                break;
            }
            if (location.rewrites().isEmpty()) break;
            if (clientFor != location) {
                facts.client = realIp().resolve(location.realIp(), facts);
                clientFor = location;
            }
            RewriteSteps.Proceed proceed = rewrite(server, location.rewrites(), true);
            if (proceed == null) return;
            if (proceed == RewriteSteps.Proceed.STAY) break;
        }
        keepAlive = keepAlive && served < location.keepaliveRequests();
        if (clientFor != location) facts.client = realIp().resolve(location.realIp(), facts);
        if (location.gzip().enabled()) {
            gzip = new GzipResponse(location.gzip(), location.gzip().request(request, http2), ctx.alloc());
        }
        if (action instanceof LocationPlan.Answer answer) {
            answer(answer);
            return;
        }
        // nginx's phases in their order: the 413 when the location is found, return (rewrite), limit_req and
        // limit_conn (preaccess), allow/deny (access), then the content: the proxied exchange, or 404 (405) where
        // nothing serves the path. The limits count a request once, as nginx's, also after an error_page's redirect.
        if (location.limited() && facts.limitReqStatus.isEmpty() && facts.limitConnStatus.isEmpty()
                && !passLimits(request, action)) {
            return;
        }
        serve(request, action);
    }

    /** The location of the request's path, and the matches of the regex locations it is in, for their captures. */
    private LocationRoute findLocation(ServerPlan server) {
        if (!server.router().hasRegexes()) return server.router().find(facts.path);
        if (locationMatches == null) locationMatches = new RegexMatches();
        facts.locationMatches = locationMatches;
        return server.router().find(facts.path, locationMatches);
    }

    /**
     * nginx's find-config phase: a body announced larger than the found location's {@code client_max_body_size} is
     * answered 413 before anything else runs there ({@code return} and {@code rewrite} included).
     */
    private boolean refusedBodySize(HttpRequest request) {
        long max = location.clientMaxBodySize();
        long length = HttpUtil.getContentLength(request, -1L);
        if (max <= 0 || length <= max) return false;
        answers().reject(413, HttpCounters.Reason.BODY_TOO_LARGE, "client intended to send too large body: " + length
                + " bytes");
        return true;
    }

    /** What comes after the limits: allow/deny, then the exchange or the 404. */
    private void serve(HttpRequest request, LocationPlan.Action action) {
        if (location.authBasic().isPresent()) {
            if (!admitted(request, location.authBasic().get())) return;
        } else if (!location.access().isEmpty() && !location.access().admits(facts.client.remote())) {
            answers().forbid();
            return;
        }
        if (action instanceof LocationPlan.NotFound) {
            answers().answer(NothingToServe.status(request.method().name()), Optional.empty());
        } else if (action instanceof LocationPlan.Forward forward) {
            startExchange(request, forward);
        } else {
            proxyComputed(request, ((LocationPlan.Computed) action).proxy());
        }
    }

    /**
     * {@code proxy_pass} with variables: the exchange starts once the URL's upstream is known, which may wait for a
     * DNS answer (the body parts that come meanwhile are parked, as for a limit_req delay).
     */
    private void proxyComputed(HttpRequest request, ComputedProxy proxy) {
        Future<LocationPlan.Forward> target = proxy.forward(ctx.channel(), facts.snapshot(runtime.clock().millis()));
        if (target.isDone()) {
            forwardTo(request, target);
            return;
        }
        if (limits == null) limits = new RequestLimits();
        RequestFacts waiting = facts;
        limits.await(target, () -> {
            if (facts != waiting) return; // the request ended meanwhile
            forwardTo(request, target);
            HttpContent content;
            while ((content = limits.nextParked()) != null) onContent(content);
        });
    }

    private void forwardTo(HttpRequest request, Future<LocationPlan.Forward> target) {
        if (target.isSuccess()) {
            startExchange(request, target.getNow());
        } else {
            RouteFailure failure = (RouteFailure) target.cause();
            answers().count(failure.reason(), failure.getMessage());
            answers().answer(failure.status(), Optional.empty());
        }
    }

    /** {@code auth_basic} with allow/deny and {@code satisfy}, as nginx's access phase: false when it answered. */
    private boolean admitted(HttpRequest request, AccessPhase phase) {
        AccessPhase.Verdict verdict = phase.check(location.access(), facts.client.remote(),
                request.headers().getAll(HttpHeaderNames.AUTHORIZATION), () -> facts.snapshot(runtime.clock().millis()));
        if (verdict instanceof AccessPhase.Pass) return true;
        answers().notAdmitted(verdict);
        return false;
    }

    private void startExchange(HttpRequest request, LocationPlan.Forward action) {
        // A page's request proxied again after the body went upstream whole resends the copy held of it, as nginx's.
        List<HttpContent> resent = heldBody != null && heldBody.whole() ? heldBody.replay() : null;
        if (!requestDone && heldBody == null && location.errorPages().hasPages()) heldBody = new HeldBody();
        ProxyExchange started = new ProxyExchange(this, action, location, facts, request,
                !requestDone || resent != null);
        exchange = started;
        started.start();
        if (resent != null) {
            for (HttpContent part : resent) started.fromClient(part); // an exchange already over releases them
        }
        if (requestDone) readAhead();
    }

    /**
     * limit_req, then limit_conn, as nginx's preaccess phase: false if the request was refused or waits (its body
     * parts are parked meanwhile, and nothing more is read), to go on in {@link #resumeAfterDelay}.
     */
    private boolean passLimits(HttpRequest request, LocationPlan.Action action) {
        if (limits == null) limits = new RequestLimits();
        SessionSnapshot now = facts.snapshot(runtime.clock().millis());
        long delay = location.limitReq().isEmpty() ? 0 : limits.checkRate(facts, location, now);
        if (delay < 0) {
            refuseByLimit(location.limitReq().status());
            return false;
        }
        if (delay > 0) {
            RequestFacts delayed = facts;
            limits.delay(ctx.executor(), delay, () -> resumeAfterDelay(delayed, request, action));
            return false;
        }
        return passConnLimits(now);
    }

    private boolean passConnLimits(SessionSnapshot now) {
        if (location.limitConn().isEmpty() || limits.acquireCounts(facts, location, now)) return true;
        refuseByLimit(location.limitConn().status());
        return false;
    }

    /** The delay is over: limit_conn, then allow/deny and the exchange, which gets the body parts that came meanwhile. */
    private void resumeAfterDelay(RequestFacts delayed, HttpRequest request, LocationPlan.Action action) {
        if (facts != delayed) return; // the request ended meanwhile
        boolean pass = passConnLimits(facts.snapshot(runtime.clock().millis()));
        if (pass) serve(request, action);
        HttpContent content;
        while ((content = limits.nextParked()) != null) onContent(content);
    }

    /** A request over a limit: nginx's special response, which keeps the connection (its body unread closes it). */
    private void refuseByLimit(int code) {
        runtime.counters().count(HttpCounters.Reason.LIMITED);
        answers().answer(code, Optional.empty());
    }

    private void onContent(HttpContent content) {
        if (facts == null || requestDone) {
            content.release();
            return;
        }
        if (limits != null && limits.park(content)) return; // limit_req delays the request
        int bytes = content.content().readableBytes();
        facts.requestLength += bytes;
        bodyReceived += bytes;
        boolean last = content instanceof LastHttpContent;
        if (last) requestDone = true;
        if (exchange == null) {
            content.release(); // the answer is out or going; the body is not wanted
            if (!last) ctx.read();
            return;
        }
        long max = location.clientMaxBodySize();
        if (max > 0 && bodyReceived > max) {
            content.release();
            exchange.abandon();
            exchange = null;
            answers().reject(413, HttpCounters.Reason.BODY_TOO_LARGE, "client intended to send too large chunked "
                    + "body: more than " + max + " bytes");
            return;
        }
        if (heldBody != null) heldBody.add(content);
        exchange.fromClient(content);
        if (last) readAhead();
    }

    /**
     * The request is read whole and is being proxied: reading on now, within the read that brought the
     * request's end, leaves the socket's read interest registered, where asking again after the response
     * costs two epoll_ctl calls per request. What arrives meanwhile (a pipelined request) is held. On a
     * connection that closes after this request, reading on is only for seeing the client give up (its FIN),
     * which {@code proxy_ignore_client_abort on} does not care about.
     */
    private void readAhead() {
        if (http2 || exchange == null || facts == null || exchange.upgrades() || !held.isEmpty()) return;
        if (!keepAlive() && location.ignoreClientAbort()) return;
        ctx.read();
    }

    // --- called by the exchange and the own answers ----------------------------------------

    /** The request being served; null between requests. */
    RequestFacts facts() {
        return facts;
    }

    /** The location serving the request: the server's level until one is found. */
    LocationPlan location() {
        return location;
    }

    /** The request's server once routing began; null before (no {@code error_page} applies then). */
    ServerPlan server() {
        return server;
    }

    HttpRequest request() {
        return request;
    }

    /** Bytes of the request body received so far. */
    long bodyReceived() {
        return bodyReceived;
    }

    /**
     * The body a page's request carries: -1 when none of it was read yet (it comes from the client as announced), the
     * length of the copy held of a body that went upstream whole, or 0 when it went upstream and is not held.
     */
    long pageBodyLength() {
        if (bodyReceived == 0) return -1;
        return heldBody != null && heldBody.whole() ? heldBody.length() : 0;
    }

    OwnAnswers answers() {
        if (answers == null) answers = new OwnAnswers(this);
        return answers;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    HttpConnection connection() {
        return connection;
    }

    HttpRuntime runtime() {
        return runtime;
    }

    /**
     * The port the client connected to. As ingress-nginx with use-proxy-protocol: the PROXY header's
     * destination (when the listener believed the header), not the port the balancer reached us on. In
     * decimal, as the forwarding headers send it.
     */
    String serverPort() {
        if (serverPort == null) {
            SocketAddress destination = connection.proxied().map(ProxiedConnection::destination)
                    .orElse(connection.local());
            serverPort = Integer.toString(destination instanceof InetSocketAddress inet ? inet.getPort() : 0);
        }
        return serverPort;
    }

    /** The deadlines every exchange of this connection uses in turn. */
    ExchangeTimers timers() {
        return exchangeTimers;
    }

    boolean http2() {
        return http2;
    }

    boolean requestDone() {
        return requestDone;
    }

    boolean keepAlive() {
        return keepAlive && !closeAfter;
    }

    /** The response cannot be followed by another request on this connection (HTTP/1.0 close-delimited body). */
    void closeAfterResponse() {
        closeAfter = true;
    }

    /** Asks the client for more of the request body. */
    void readBody() {
        if (!requestDone && ctx.channel().isActive()) ctx.read();
    }

    void writeHead(HttpResponse response) {
        if (facts.errStatus != 0) response.setStatus(HttpResponseStatus.valueOf(facts.errStatus)); // error_page's
        if (facts.wwwAuthenticate != null) ErrorPageRequest.keepChallenge(response.headers(), facts.wwwAuthenticate);
        if (!location.addHeaders().isEmpty()) addHeaders(response);
        if (gzip != null && gzip.head(response, http2, facts.protocol.equals("HTTP/1.0"))) closeAfterResponse();
        responseStarted = true;
        facts.status = response.status().code();
        if (!location.accessLog().isOff()) facts.responseHeaders = RequestFacts.headers(response.headers());
        facts.bytesSent += estimateHeadLength(response);
        writes.head(response);
    }

    /** An answer proxyline made whole: written as the request's last response, and the request ends. */
    void writeWhole(FullHttpResponse response) {
        if (!location.addHeaders().isEmpty()) addHeaders(response);
        if (gzip != null) response = gzip.whole(response);
        int length = response.content().readableBytes();
        if (!requestDone) closeAfter = true; // the body is not read; the connection cannot carry another request
        if (!http2) {
            if (!keepAlive()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (facts.protocol.equals("HTTP/1.0")) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        responseStarted = true;
        facts.status = response.status().code();
        if (!location.accessLog().isOff()) facts.responseHeaders = RequestFacts.headers(response.headers());
        facts.bytesSent += estimateHeadLength(response) + length;
        facts.bodyBytesSent += length;
        writes.last(response, keepAlive());
        finish();
    }

    /** Writes a part of the response body; the last part is flushed at once, the others by {@link #flush()}. */
    void writeBody(HttpContent content) {
        if (gzip != null) content = gzip.body(content);
        int bytes = content.content().readableBytes();
        facts.bodyBytesSent += bytes;
        facts.bytesSent += bytes;
        writes.body(content, keepAlive());
    }

    /** Sends what the upstream's read burst brought. */
    void flush() {
        writes.flush();
    }

    boolean responseStarted() {
        return responseStarted;
    }

    /** The exchange ended with its response complete. */
    void exchangeDone() {
        if (!requestDone) closeAfter = true; // the rest of the body would be read as a request
        finish();
    }

    /** The exchange failed: answer {@code code} if nothing was sent yet, else cut the connection. */
    void exchangeFailed(int code, HttpCounters.Reason reason, String message) {
        exchange = null;
        if ((reason == HttpCounters.Reason.CLIENT_TIMEOUT || reason == HttpCounters.Reason.SEND_TIMEOUT) && !http2
                && location.resetTimedout()) {
            ResetOnClose.arm(ctx.channel()); // the client timed out: nginx's reset_timedout_connection
        }
        writes.dropHead(); // the connection is cut: an unflushed head would not have been sent either
        if (responseStarted) {
            answers().count(reason, message);
            ctx.close();
        } else if (code == 502 || code == 504) {
            // As nginx: the upstream failed, not the client, so a request read whole keeps its connection.
            answers().count(reason, message);
            answers().answer(code, Optional.empty());
        } else {
            answers().reject(code, reason, message);
        }
    }

    /**
     * {@code proxy_intercept_errors}: the upstream's response of {@code status}, which has an {@code error_page}, was
     * dropped with its connection; the status goes to the page as proxyline's own error would.
     */
    void intercepted(int status) {
        exchange = null;
        answers().answer(status, Optional.empty());
    }

    /**
     * An {@code error_page} sent the request to a page: routed again, from the server's rewrites on or at the named
     * location, and the page's location decides compression anew. The answer given up had not been sent.
     */
    void reroute(ServerPlan server, LocationPlan named) {
        if (gzip != null) {
            gzip.close();
            gzip = null;
        }
        writes.dropHead();
        route(request, server, named);
    }

    /**
     * Bytes of the protocol the connection switched to. No promise each: a failure closes the channel,
     * and a close decided later waits on an empty write queued behind these.
     */
    void writeRaw(ByteBuf bytes) {
        facts.bytesSent += bytes.readableBytes();
        writes.raw(bytes);
    }

    // --- the request's end -----------------------------------------------------------------

    /** {@code ssl_verify_client} of the server the request chose, as nginx checks it before any location. */
    private boolean refusedClientCertificate(ServerPlan server, boolean hostSent) {
        TlsFacts tls = connection.tls().get();
        Optional<ClientCertificateCheck.Refusal> refusal = hostSent
                ? ClientCertificateCheck.misdirected(tls.serverName(), facts.host, plan.hosts()) : Optional.empty();
        if (refusal.isEmpty()) {
            refusal = ClientCertificateCheck.check(server.server().settings().tls().clientVerify().mode(), tls.client());
        }
        if (refusal.isEmpty()) return false;
        this.server = server; // nginx checks once the Host chose the server: its error_page 495 496 apply
        ClientCertificateCheck.Refusal r = refusal.get();
        answers().reject(r.pageStatus(), r.status(), HttpCounters.Reason.CLIENT_CERTIFICATE, r.log(), r.body());
        return true;
    }

    /**
     * nginx's {@code return 444}: no response at all, the connection closed (over HTTP/2 the stream, which Netty
     * resets); the access log says 444 with nothing sent, as nginx's does.
     */
    private void closeWithoutResponse() {
        responseStarted = true;
        facts.status = Status.CLOSE_WITHOUT_RESPONSE;
        log();
        exchange = null;
        // nginx resets also here under reset_timedout_connection; over HTTP/2 only the stream ends.
        if (!http2 && location.resetTimedout()) ResetOnClose.arm(ctx.channel());
        ctx.close();
    }

    private void finish() {
        log();
        facts = null;
        exchange = null;
        request = null; // not kept while the connection waits
        if (http2) return; // one request per stream; the stream ends with the response
        if (!keepAlive()) {
            writes.closeAfterFlush();
            return;
        }
        if (replaying) return; // the loop below, further up the stack, goes on
        replaying = true;
        try {
            // Requests read ahead are served in order; each one's parts until its end go with it.
            while (!held.isEmpty() && keepAlive() && (facts == null || (partsPending && !(held.peek() instanceof HttpRequest)))) {
                dispatch(held.poll());
            }
        } finally {
            replaying = false;
        }
        if (facts != null) {
            if (requestDone) readAhead();
        } else if (keepAlive()) {
            awaitNextRequest();
        }
    }

    private void awaitNextRequest() {
        headerTimerArmed = false;
        headBytes = earlyBytes;
        if (earlyBytes) {
            armHeaderTimer(); // the next head has begun
        } else {
            idleTimer.arm(location.timeouts().keepalive(), closeIfIdle);
        }
        earlyBytes = false;
        ctx.read();
    }

    /** nginx's limit on URI changes per request (NGX_HTTP_MAX_URI_CHANGES): past it, a rewrite cycle. */
    static final int MAX_URI_CHANGES = 10;

    /**
     * Runs a block's rewrite steps: where they leave the request, or null when a {@code return} or a redirect among
     * them was answered.
     */
    private RewriteSteps.Proceed rewrite(ServerPlan server, List<LocationPlan.Step> steps, boolean inLocation) {
        if (rewriteSteps == null) rewriteSteps = new RewriteSteps(runtime.clock());
        RewriteSteps.Outcome outcome = rewriteSteps.run(facts, server, steps, inLocation);
        if (outcome instanceof RewriteSteps.Proceed proceed) return proceed;
        if (outcome instanceof RewriteSteps.Answer reached) {
            answer(reached.answer());
        } else {
            RewriteSteps.Redirect redirect = (RewriteSteps.Redirect) outcome;
            answers().answer(redirect.status(), Optional.of(redirect.location()));
        }
        return null;
    }

    /** {@code return}, or the redirect to a location's slash-ended path. */
    private void answer(LocationPlan.Answer answer) {
        facts.requestId = newRequestId();
        if (answer.code() == Status.CLOSE_WITHOUT_RESPONSE) {
            closeWithoutResponse();
            return;
        }
        SessionSnapshot now = facts.snapshot(runtime.clock().millis());
        answers().answer(answer.code(), answer.textOrUrl().map(text -> text.render(now)));
    }

    /** The location's {@code add_header} fields that apply to the response's status, rendered now. */
    private void addHeaders(HttpResponse response) {
        SessionSnapshot now = null;
        int status = response.status().code();
        for (LocationPlan.AddHeader header : location.addHeaders()) {
            if (!header.appliesTo(status)) continue;
            String value;
            if (header.value().isConstant()) {
                value = header.value().constantValue();
            } else {
                if (now == null) {
                    facts.status = status;
                    now = facts.snapshot(runtime.clock().millis());
                }
                value = header.value().render(now);
            }
            if (value.isEmpty()) continue; // as nginx: an empty value adds nothing
            if (header.replaces()) {
                response.headers().set(header.name(), value);
            } else {
                response.headers().add(header.name(), value);
            }
        }
    }

    private void log() {
        if (limits != null) limits.releaseCounts(); // the request is over: it no longer counts against limit_conn
        if (heldBody != null) {
            heldBody.release();
            heldBody = null;
        }
        // The exchange is over: a body still being compressed (a response cut short) frees its Deflater.
        if (gzip != null) {
            gzip.close();
            gzip = null;
        }
        // Only the access log reads the response headers and the final snapshot.
        if (!location.accessLog().isOff()) location.accessLog().log(facts.snapshot(runtime.clock().millis()));
        facts = null;
    }

    // --- helpers ----------------------------------------------------------------------------

    /** realip on this connection: the socket peer and the PROXY header's source, if any. */
    ConnectionRealIp realIp() {
        if (realIp == null) {
            realIp = new ConnectionRealIp(connection.proxied().map(RealIp.Connection::of)
                    .orElseGet(() -> RealIp.Connection.direct(connection.peer())));
        }
        return realIp;
    }

    private boolean hasBody(HttpRequest request) {
        if (request instanceof LastHttpContent) return false; // a full request: its body, if any, is in it
        if (http2) return true;
        return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    }

    private String host(String field) {
        if (!field.equals(lastHostField)) {
            lastHost = hostWithoutPort(field);
            lastHostField = field;
        }
        return lastHost;
    }

    private static String hostWithoutPort(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static String newRequestId() {
        return ForwardedHeaders.requestId(ThreadLocalRandom.current());
    }

    /** Bytes of a response head on the wire, for {@code $bytes_sent} (a request's: {@link RequestHeadScan}). */
    private static long estimateHeadLength(io.netty.handler.codec.http.HttpMessage message) {
        long n = 16;
        // As CharSequences: the String view converts each decoded name.
        for (var it = message.headers().iteratorCharSequence(); it.hasNext(); ) {
            var h = it.next();
            n += h.getKey().length() + h.getValue().length() + 4;
        }
        return n + 2;
    }
}
