package dev.proxyline.server.app;

import dev.proxyline.config.Events;
import dev.proxyline.config.Listen;
import dev.proxyline.config.ListenAddress;
import dev.proxyline.config.ProxySsl;
import dev.proxyline.config.ProxyTarget;
import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.config.SharedSockets;
import dev.proxyline.config.StreamConfig;
import dev.proxyline.config.StreamSettings;
import dev.proxyline.protocol.netty.ProxyCounters;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.accesslog.AccessLogWriter;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.proxy.UpstreamTls;
import dev.proxyline.server.http.proxy.UpstreamTlsPlanner;
import dev.proxyline.server.limit.LimitLines;
import dev.proxyline.server.runtime.ComputedRoute;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.Hostnames;
import dev.proxyline.server.runtime.ListenerPlan;
import dev.proxyline.server.runtime.RuntimePlan;
import dev.proxyline.server.runtime.RuntimePlanException;
import dev.proxyline.server.runtime.RuntimePlanner;
import dev.proxyline.server.stream.RelayOptions;
import dev.proxyline.server.stream.StreamProxy;
import dev.proxyline.server.stream.UpstreamConnector;
import dev.proxyline.server.stream.UpstreamPreface;
import dev.proxyline.server.stream.raw.RawStreamListener;
import dev.proxyline.server.stream.raw.RawStreamSession;
import dev.proxyline.server.stream.tls.StreamHandshakes;
import dev.proxyline.server.tls.CertificateStore;
import dev.proxyline.server.tls.ClientContexts;
import dev.proxyline.server.tls.DevelopmentCertificate;
import dev.proxyline.server.tls.ServerContexts;
import dev.proxyline.server.tls.StreamTlsContext;
import dev.proxyline.server.tls.TlsPlanner;
import dev.proxyline.server.tls.TlsSetupException;
import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.AcceptedChannelSetup;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.transport.UpstreamOptions;
import dev.proxyline.server.transport.WorkerCpuBinder;
import dev.proxyline.server.transport.WorkerThreads;
import dev.proxyline.server.variables.VariableTable;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A configuration running: every {@code listen} of every stream and http {@code server} bound, each
 * accepted connection taken through its stages (PROXY header, relay; or PROXY header or its diagnosis,
 * TLS, HTTP/1.1 or HTTP/2, requests proxied), access logs written. The one place where the runtime is
 * wired together (the http part in {@link HttpListeners}).
 *
 * <p>Lifecycle: {@link #start} binds everything or nothing; {@link #stop} drains (stops accepting,
 * lets live sessions finish up to a deadline, then closes them) and releases threads and files;
 * {@link #terminated()} completes after that.
 */
public final class ProxylineServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxylineServer.class.getName());

    private final EventLoops loops;
    private final AccessLogWriter accessLogWriter;
    private final List<BoundListener> listeners;
    private final List<String> labels;
    private final LiveSessions sessions;
    private final RunOptions options;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private boolean stopping; // guarded by this

    private ProxylineServer(EventLoops loops, AccessLogWriter accessLogWriter, List<BoundListener> listeners,
                            List<String> labels, LiveSessions sessions, RunOptions options) {
        this.loops = loops;
        this.accessLogWriter = accessLogWriter;
        this.listeners = List.copyOf(listeners);
        this.labels = List.copyOf(labels);
        this.sessions = sessions;
        this.options = options;
    }

    /**
     * Plans, binds and starts serving {@code config}'s stream servers. Resolves upstream host names
     * and opens access log files, so call it off any event loop.
     *
     * @throws StartupException listing every problem: names without addresses, log files that cannot
     *                          be opened, addresses that cannot be bound; nothing is left running
     */
    public static ProxylineServer start(ProxylineConfig config, RunOptions options) throws StartupException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        List<String> mapProblems = new ArrayList<>();
        VariableTable variables = VariableTable.stream(ZoneId.systemDefault(), Hostnames.current(),
                ProcessHandle.current().pid()).withMaps(config.stream().map(StreamConfig::maps).orElse(List.of()),
                mapProblems);
        if (!mapProblems.isEmpty()) {
            throw new StartupException(mapProblems);
        }
        List<RuntimePlan> plans;
        try {
            plans = new RuntimePlanner(variables, HostResolver.system(), options.nanoClock(), new SplittableRandom(),
                    options.prefix()).plan(config);
        } catch (RuntimePlanException e) {
            throw new StartupException(e.problems());
        }
        int workers = config.workers().eventLoopThreads(options.cores());
        OpenFiles.prepare(config, workers);
        AccessLogWriter accessLogWriter = AccessLogWriter.start();
        EventLoops loops = EventLoops.start(options.transport(), WorkerThreads.of(workers),
                config.events().workerConnections(), options.nanoClock());
        config.cpuAffinity().ifPresent(affinity -> {
            List<String> bound = WorkerCpuBinder.bind(loops, affinity);
            if (!bound.isEmpty()) {
                LOG.log(Level.INFO, "worker_cpu_affinity: " + String.join(", ", bound));
            }
        });
        LiveSessions sessions = new LiveSessions();
        List<BoundListener> bound = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            Wiring wiring = new Wiring(loops, config.events(), sessions, options);
            // The http sockets are bound first: a balancer in the same process must not accept connections
            // before the ingress it forwards to listens. Listed after the stream sockets all the same.
            HttpListeners http = HttpListeners.plan(config, options, accessLogWriter, problems);
            List<BoundListener> httpBound = new ArrayList<>();
            List<String> httpLabels = new ArrayList<>();
            if (problems.isEmpty()) {
                http.bind(wiring.listenerBootstrap, wiring.events, sessions, wiring.serials, wiring.proxyRefusals,
                        httpBound, httpLabels, problems);
            }
            try {
                wiring.bind(plans, accessLogWriter, bound, labels, problems);
            } finally {
                bound.addAll(httpBound);
                labels.addAll(httpLabels);
            }
        } catch (RuntimeException e) {
            problems.add("internal error while starting: " + e);
        }
        if (!problems.isEmpty()) {
            bound.forEach(BoundListener::close);
            loops.close();
            accessLogWriter.close();
            throw new StartupException(problems);
        }
        ProxylineServer server = new ProxylineServer(loops, accessLogWriter, bound, labels, sessions, options);
        if (!options.transport().isNative()) {
            Transport.epollUnavailableReason().ifPresent(why ->
                    LOG.log(Level.INFO, "native epoll transport unavailable (" + why + "); using nio"));
        }
        LOG.log(Level.INFO, server.describe(config));
        return server;
    }

    /**
     * The bound IP listening addresses, in configuration order (ports as the kernel assigned them); a
     * {@code listen unix:} is not among them.
     */
    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>(listeners.size());
        for (BoundListener listener : listeners) {
            if (listener.localAddress() instanceof InetSocketAddress ip) addresses.add(ip);
        }
        return addresses;
    }

    /** Client connections open right now. */
    public int openSessions() {
        return sessions.count();
    }

    /** The drain deadline of {@link #close()}, from the options. */
    public Duration drainTimeout() {
        return options.drainTimeout();
    }

    /**
     * Drains and stops: closes the listeners, waits up to {@code drainTimeout} for open sessions to
     * end by themselves, closes those still open, then stops the event loops and flushes the access
     * logs. Blocks until done; a second call waits for the first.
     *
     * @return how many sessions were cut at the deadline
     */
    public int stop(Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        synchronized (this) {
            if (stopping) {
                terminated.join();
                return 0;
            }
            stopping = true;
        }
        for (BoundListener listener : listeners) {
            listener.close();
        }
        int open = sessions.count();
        if (open > 0) {
            LOG.log(Level.INFO, "draining: stopped accepting; waiting up to " + drainTimeout.toMillis() + " ms for "
                    + open + " open session(s)");
        }
        int cut = 0;
        try {
            sessions.drain().get(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            cut = sessions.closeAll();
            LOG.log(Level.INFO, "drain deadline of " + drainTimeout.toMillis() + " ms passed; closed " + cut
                    + " session(s) still open");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cut = sessions.closeAll();
        } catch (ExecutionException e) {
            throw new IllegalStateException("drain failed", e.getCause());
        }
        loops.shutdown(Duration.ZERO, Duration.ofSeconds(5)).awaitUninterruptibly();
        accessLogWriter.close();
        LOG.log(Level.INFO, "stopped");
        terminated.complete(null);
        return cut;
    }

    /** Completes once {@link #stop} has finished. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** {@link #stop} with the configured drain deadline. */
    @Override
    public void close() {
        stop(options.drainTimeout());
    }

    private String describe(ProxylineConfig config) {
        StringBuilder text = new StringBuilder("listening on ");
        if (listeners.isEmpty()) {
            text.append("nothing (no servers)");
        }
        for (int i = 0; i < listeners.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(Addresses.format(listeners.get(i).localAddress()))
                    .append(labels.get(i));
        }
        return text.append(" (").append(options.transport()).append(" transport, ")
                .append(listeners.stream().anyMatch(BoundListener.Raw.class::isInstance)
                        ? "stream sessions on raw descriptors, " : "")
                .append(config.workers().eventLoopThreads(options.cores())).append(" worker thread(s))").toString();
    }

    /** Turns plans into bound listeners; holds what all of them share. */
    private static final class Wiring {
        private final EventLoops loops;
        private final ListenerBootstrap listenerBootstrap;
        private final Events events;
        private final LiveSessions sessions;
        private final RunOptions options;
        private final AtomicLong serials = new AtomicLong();
        private final RejectionLog proxyRefusals;
        private final RejectionLog sessionFailures;
        private final RejectionLog connectFailures;
        private final LimitLines limitLines;
        private final TlsPlanner tlsPlanner;
        private final CertificateStore certificates;
        /** Made when a server first needs it: finding the engine loads OpenSSL's native library. */
        private ServerContexts engines;
        /** Made when a server first has {@code proxy_ssl on}; one context per distinct setting. */
        private ClientContexts clientContexts;

        Wiring(EventLoops loops, Events events, LiveSessions sessions, RunOptions options) {
            this.loops = loops;
            this.listenerBootstrap = new ListenerBootstrap(loops);
            this.events = events;
            this.sessions = sessions;
            this.options = options;
            Duration interval = Duration.ofSeconds(10);
            this.proxyRefusals = new RejectionLog(System.getLogger(ProxyReceiveStage.class.getPackageName()),
                    interval, options.nanoClock());
            this.sessionFailures = new RejectionLog(System.getLogger(StreamService.class.getName()), interval,
                    options.nanoClock());
            this.connectFailures = new RejectionLog(System.getLogger(GroupConnector.class.getName()), interval,
                    options.nanoClock());
            this.limitLines = new LimitLines(System.getLogger(StreamService.class.getName()), options.nanoClock());
            this.tlsPlanner = new TlsPlanner(options.prefix());
            this.certificates = new CertificateStore(DevelopmentCertificate.under(options.prefix()));
        }

        /**
         * Binds the listens of every stream server; a specific address on a port with a wildcard listen is served
         * through the wildcard's socket ({@link SharedSockets}).
         */
        void bind(List<RuntimePlan> plans, AccessLogWriter accessLogWriter, List<BoundListener> bound,
                  List<String> labels, List<String> problems) {
            ChannelSockets channels = new ChannelSockets();
            if (options.rawStreams()) {
                // TLS runs on channels only; the servers sharing a socket with one that needs them go along.
                Set<RuntimePlan> onChannels = ChannelRouting.needChannels(plans, ChannelSockets::needs);
                bind(new RawSockets(), plans.stream().filter(p -> !onChannels.contains(p)).toList(), accessLogWriter,
                        bound, labels, problems);
                bind(channels, plans.stream().filter(onChannels::contains).toList(), accessLogWriter, bound, labels,
                        problems);
            } else {
                bind(channels, plans, accessLogWriter, bound, labels, problems);
            }
        }

        private <H> void bind(StreamSockets<H> sockets, List<RuntimePlan> plans, AccessLogWriter accessLogWriter,
                              List<BoundListener> bound, List<String> labels, List<String> problems) {
            List<StreamListen<H>> listens = new ArrayList<>();
            for (RuntimePlan plan : plans) {
                Function<StreamFront, H> server;
                try {
                    server = sockets.server(plan, accessLogWriter);
                } catch (IOException | IllegalArgumentException e) {
                    problems.add(plan.position() + ": " + e.getMessage());
                    continue;
                } catch (TlsSetupException e) {
                    problems.addAll(e.problems());
                    continue;
                }
                for (ListenerPlan listener : plan.listeners()) {
                    // One stage (settings, counters, rate-limited log) per listen, shared by its connections.
                    var proxyStage = listener.receive().map(settings ->
                            new ProxyReceiveStage(settings, new ProxyCounters(), proxyRefusals));
                    listens.add(new StreamListen<>(listener,
                            server.apply(new StreamFront(proxyStage, listener.listen().ssl()))));
                }
            }
            for (SharedSockets.Socket<StreamListen<H>> socket : SharedSockets.group(listens, l -> l.plan().listen())) {
                ListenerPlan owner = socket.owner().plan();
                Listen listen = owner.listen();
                // nginx takes reuseport on a socket file silently; so does proxyline.
                if (listen.reusePort() && listen.address() instanceof ListenAddress.Ip
                        && !loops.transport().supportsReusePort()) {
                    LOG.log(Level.WARNING, listen.position() + ": \"reuseport\" is ignored on the "
                            + loops.transport() + " transport");
                }
                H handler = ByLocalAddress.forSocket(socket, StreamListen::handler, l -> l.plan().address(),
                        sockets::byLocalAddress);
                try {
                    bound.add(sockets.bind(owner, handler));
                    labels.add(ByLocalAddress.label(socket, l -> label(l.plan().listen()), l -> l.plan().address()));
                } catch (IOException e) {
                    problems.add(listen.position() + ": bind() to " + Addresses.format(owner.address())
                            + " failed (" + e.getMessage() + ")");
                }
            }
        }

        private static String label(Listen listen) {
            return (listen.ssl() ? " ssl" : "") + (listen.proxyProtocol() ? " proxy_protocol" : "");
        }

        /** One stream listen and what handles its connections. */
        private record StreamListen<H>(ListenerPlan plan, H handler) {}

        /** What comes before the relay on one listen: its PROXY stage (with {@code proxy_protocol}), its {@code ssl}. */
        private record StreamFront(Optional<ProxyReceiveStage> proxyStage, boolean ssl) {}

        /**
         * How stream listens are served: on raw descriptors (epoll) or on channels. {@code H} handles the
         * connections of one listen.
         */
        private interface StreamSockets<H> {
            /**
             * The handler of one server's listens, given what a listen has in front of the relay; the exceptions say
             * why the server cannot run.
             */
            Function<StreamFront, H> server(RuntimePlan plan, AccessLogWriter accessLogWriter)
                    throws IOException, TlsSetupException;

            /** One handler for the listens served by one wildcard socket. */
            H byLocalAddress(ByLocalAddress<H> listens);

            /** Binds the socket of {@code owner}; the exception says why not. */
            BoundListener bind(ListenerPlan owner, H handler) throws IOException;
        }

        private ServerContexts engines() {
            if (engines == null) {
                engines = new ServerContexts(ServerContexts.preferredProvider());
            }
            return engines;
        }

        /** What every stream server's sessions are built from, whichever way they are served. */
        private record ServerParts(RelayOptions relay, UpstreamOptions upstreamOptions, StreamService service) {}

        private ServerParts parts(RuntimePlan plan, AccessLogWriter accessLogWriter) throws IOException {
            StreamSettings settings = plan.settings();
            UpstreamOptions upstreamOptions = new UpstreamOptions(settings.connectTimeout(), settings.bind(),
                    settings.socketKeepalive());
            RelayOptions relay = RelayOptions.defaults()
                    .withBufferSize((int) Math.min(Integer.MAX_VALUE, settings.bufferSize()))
                    .withIdleTimeout(settings.timeout())
                    .withSplice(settings.splice())
                    .withHalfClose(settings.halfClose());
            SessionLog accessLog = accessLogWriter.register(plan.accessLogs());
            return new ServerParts(relay, upstreamOptions, new StreamService(accessLog, sessionFailures, settings.access(),
                    plan.limits(), limitLines));
        }

        /** Sessions on raw descriptors, accepted by {@link RawStreamListener}s (epoll only). */
        private final class RawSockets implements StreamSockets<RawStreamListener.Accepted> {
            @Override
            public Function<StreamFront, RawStreamListener.Accepted> server(
                    RuntimePlan plan, AccessLogWriter accessLogWriter) throws IOException {
                ServerParts parts = parts(plan, accessLogWriter);
                return front -> new RawStreamFront(
                        new RawStreamSession.Settings(parts.relay(), parts.upstreamOptions(), front.proxyStage(),
                                plan.settings().preread(), options.clock()),
                        plan.upstream(), plan.send(), parts.service(), sessions, serials, options.nanoClock(),
                        connectFailures);
            }

            @Override
            public RawStreamListener.Accepted byLocalAddress(ByLocalAddress<RawStreamListener.Accepted> listens) {
                return ByLocalAddress.raw(listens);
            }

            @Override
            public BoundListener bind(ListenerPlan owner, RawStreamListener.Accepted handler) throws IOException {
                // A unix: listen is never here: ChannelSockets.needs sends its server to channels.
                ListenerOptions socket = ListenSockets.options((InetSocketAddress) owner.address(), owner.listen(),
                        events);
                Future<RawStreamListener> future = RawStreamListener.bind(loops, socket, handler);
                future.awaitUninterruptibly();
                if (!future.isSuccess()) {
                    throw new IOException(future.cause().getMessage(), future.cause());
                }
                return new BoundListener.Raw(future.getNow());
            }
        }

        /**
         * Sessions on Netty channels (NIO, or epoll with {@code -Dproxyline.stream.channels=true}, or servers with
         * TLS, see {@link #needs}).
         */
        private final class ChannelSockets implements StreamSockets<AcceptedChannelSetup> {
            /**
             * Whether {@code plan} runs on channels whatever the transport: its TLS (either side) is Netty's, its
             * sessions may wait for a DNS answer, or it listens on a socket file (raw descriptors are TCP only).
             */
            static boolean needs(RuntimePlan plan) {
                return plan.listeners().stream().anyMatch(l -> l.listen().ssl()
                                || l.address() instanceof UnixDomainSocketAddress)
                        || plan.settings().proxySsl().isPresent()
                        || plan.upstream() instanceof ComputedRoute route && route.looksUp();
            }

            @Override
            public Function<StreamFront, AcceptedChannelSetup> server(
                    RuntimePlan plan, AccessLogWriter accessLogWriter) throws IOException, TlsSetupException {
                boolean sslListen = plan.listeners().stream().anyMatch(l -> l.listen().ssl());
                Optional<StreamTlsContext> tls = sslListen ? Optional.of(StreamTlsContext.build(
                        plan.settings().tls(), plan.settings().sslHandshakeTimeout(), plan.settings().sslAlpn(),
                        tlsPlanner, certificates, engines())) : Optional.empty();
                ServerParts parts = parts(plan, accessLogWriter);
                Optional<AttemptSetup> handshake = Optional.empty();
                UpstreamPreface preface = StreamService.preface(plan.send());
                if (plan.settings().proxySsl().isPresent()) {
                    handshake = Optional.of(new UpstreamTlsHandshake(upstreamTls(plan,
                            plan.settings().proxySsl().get()), plan.send(), plan.settings().connectTimeout(),
                            options.clock()));
                    preface = UpstreamPreface.NONE; // sent in clear before each handshake
                }
                UpstreamConnector connector = new GroupConnector(plan.upstream(),
                        new UpstreamBootstrap(parts.upstreamOptions()), options.nanoClock(), connectFailures,
                        handshake);
                StreamProxy proxy = new StreamProxy(parts.relay(), connector, preface, options.clock());
                StreamHandshakes handshakes = new StreamHandshakes();
                return front -> new ConnectionInitializer(front.proxyStage(), proxy, parts.service(),
                        plan.settings().preread(), front.ssl() ? tls : Optional.empty(), handshakes, sessions, serials,
                        options.clock());
            }

            /**
             * {@code proxy_ssl on}: nginx's default name is the host of {@code proxy_pass} (an upstream block's name
             * included); a {@code proxy_pass} with variables needs {@code proxy_ssl_name} for SNI or verification.
             */
            private UpstreamTls upstreamTls(RuntimePlan plan, ProxySsl ssl) throws TlsSetupException {
                String name = UpstreamTls.withoutPort(ssl.name().orElseGet(() ->
                        plan.target() instanceof ProxyTarget.Computed ? "" : UpstreamTlsPlanner.host(plan.target())));
                if (clientContexts == null) {
                    clientContexts = new ClientContexts(engines().provider(), options.prefix());
                }
                return new UpstreamTls(clientContexts.get(ssl), name, ssl.serverName(), ssl.sessionReuse());
            }

            @Override
            public AcceptedChannelSetup byLocalAddress(ByLocalAddress<AcceptedChannelSetup> listens) {
                return ByLocalAddress.channels(listens);
            }

            @Override
            public BoundListener bind(ListenerPlan owner, AcceptedChannelSetup handler) throws IOException {
                return ListenSockets.bindOnChannels(listenerBootstrap, owner.address(), owner.listen(), events,
                        handler);
            }
        }
    }
}
