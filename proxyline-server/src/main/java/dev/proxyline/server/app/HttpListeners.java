package dev.proxyline.server.app;

import dev.proxyline.config.Events;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.Listen;
import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.config.SharedSockets;
import dev.proxyline.protocol.netty.BadRequestPage;
import dev.proxyline.protocol.netty.OncePerSourceLog;
import dev.proxyline.protocol.netty.ProxyCounters;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.protocol.netty.UnexpectedHeaderCounters;
import dev.proxyline.protocol.netty.UnexpectedHeaderStage;
import dev.proxyline.server.accesslog.AccessLogWriter;
import dev.proxyline.server.http.connection.HttpConnectionStages;
import dev.proxyline.server.http.connection.TlsHandshakes;
import dev.proxyline.server.http.proxy.HttpCounters;
import dev.proxyline.server.http.proxy.HttpListenerPlan;
import dev.proxyline.server.http.proxy.HttpPlanner;
import dev.proxyline.server.http.proxy.HttpRuntime;
import dev.proxyline.server.http.proxy.ProxyRequestStage;
import dev.proxyline.server.http.proxy.ServerHeader;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.Hostnames;
import dev.proxyline.server.runtime.RuntimePlanException;
import dev.proxyline.server.tls.CertificateStore;
import dev.proxyline.server.tls.DevelopmentCertificate;
import dev.proxyline.server.tls.ListenTls;
import dev.proxyline.server.tls.ServerContexts;
import dev.proxyline.server.tls.TlsPlanner;
import dev.proxyline.server.tls.TlsSetupException;
import dev.proxyline.server.transport.AcceptedChannelSetup;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.variables.VariableTable;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code http} part of the server: plans the http listen sockets, sets up their TLS, and binds each with
 * its front stage (PROXY header or its diagnosis) and its connection stages.
 */
final class HttpListeners {
    /** Where both misconfiguration diagnoses go, as {@link OncePerSourceLog#standard()} logs them. */
    private static final String DIAGNOSIS_LOGGER = OncePerSourceLog.class.getPackageName();
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final HttpRuntime runtime;
    private final List<HttpListenerPlan> plans;
    private final Map<String, ListenTls> tls;
    private final RunOptions options;

    private HttpListeners(HttpRuntime runtime, List<HttpListenerPlan> plans, Map<String, ListenTls> tls,
                          RunOptions options) {
        this.runtime = runtime;
        this.plans = plans;
        this.tls = tls;
        this.options = options;
    }

    /**
     * Plans {@code config}'s http block (none without one) and loads the certificates of its {@code ssl} sockets,
     * generating the development certificate under the prefix when a server has none; problems are added to
     * {@code problems}.
     */
    static HttpListeners plan(ProxylineConfig config, RunOptions options, AccessLogWriter logs,
                              List<String> problems) {
        HttpRuntime runtime = new HttpRuntime(options.clock(), options.nanoClock(),
                new RejectionLog(System.getLogger(HttpErrorLog.REQUESTS), LOG_INTERVAL,
                        options.nanoClock()), new HttpCounters());
        if (config.http().isEmpty()) return new HttpListeners(runtime, List.of(), Map.of(), options);
        HttpConfig http = config.http().get();
        List<HttpListenerPlan> plans;
        try {
            int before = problems.size();
            VariableTable variables = VariableTable.http(ZoneId.systemDefault(), Hostnames.current(),
                    ProcessHandle.current().pid()).withSets(http.allSets(), http.allCaptures(), http.mapVariables(), problems).withMaps(http.maps(), problems);
            if (problems.size() > before) {
                return new HttpListeners(runtime, List.of(), Map.of(), options);
            }
            plans = new HttpPlanner(variables, HostResolver.system(), options.nanoClock(),
                    new SplittableRandom(), options.prefix(), logs::register).plan(http);
        } catch (RuntimePlanException e) {
            problems.addAll(e.problems());
            return new HttpListeners(runtime, List.of(), Map.of(), options);
        }
        try {
            Map<String, ListenTls> tls = ListenTls.buildAll(new TlsPlanner(options.prefix()).plan(http.servers()),
                    new CertificateStore(DevelopmentCertificate.under(options.prefix())),
                    new ServerContexts(ServerContexts.preferredProvider()));
            return new HttpListeners(runtime, plans, tls, options);
        } catch (TlsSetupException e) {
            problems.addAll(e.problems());
            return new HttpListeners(runtime, List.of(), Map.of(), options);
        }
    }

    /**
     * Binds every planned socket (a specific address on a port with a wildcard listen is served through the
     * wildcard's socket, {@link SharedSockets}); each bound listener is added to {@code bound}, each failure to
     * {@code problems}.
     */
    void bind(ListenerBootstrap bootstrap, Events events, LiveSessions sessions, AtomicLong serials,
              RejectionLog proxyRefusals, List<BoundListener> bound, List<String> labels, List<String> problems) {
        RejectionLog handshakeFailures = new RejectionLog(System.getLogger(TlsHandshakes.class.getName()),
                LOG_INTERVAL, options.nanoClock());
        Connections connections = new Connections(sessions, serials, proxyRefusals, handshakeFailures);
        for (SharedSockets.Socket<HttpListenerPlan> socket : SharedSockets.group(plans, plan -> plan.listener().listen())) {
            HttpListenerPlan owner = socket.owner();
            AcceptedChannelSetup setup = ByLocalAddress.forSocket(socket, connections::setup,
                    plan -> plan.listener().address(), ByLocalAddress::channels);
            String label = ByLocalAddress.label(socket, this::label, plan -> plan.listener().address());
            Listen listen = owner.listener().listen();
            try {
                bound.add(ListenSockets.bindOnChannels(bootstrap, owner.listener().address(), listen, events, setup));
                labels.add(label);
            } catch (IOException e) {
                problems.add(listen.position() + ": bind() to " + Addresses.format(owner.listener().address())
                        + " failed (" + e.getMessage() + ")");
            }
        }
    }

    /** What the http connections of every listen share, and how one listen sets up its connections. */
    private final class Connections {
        private final LiveSessions sessions;
        private final AtomicLong serials;
        private final RejectionLog proxyRefusals;
        private final RejectionLog handshakeFailures;

        Connections(LiveSessions sessions, AtomicLong serials, RejectionLog proxyRefusals,
                    RejectionLog handshakeFailures) {
            this.sessions = sessions;
            this.serials = serials;
            this.proxyRefusals = proxyRefusals;
            this.handshakeFailures = handshakeFailures;
        }

        AcceptedChannelSetup setup(HttpListenerPlan plan) {
            Listen listen = plan.listener().listen();
            Optional<ListenTls> socketTls = Optional.ofNullable(tls.get(listen.bindKey()));
            HttpConnectionStages stages = HttpConnectionStages.forListen(socketTls, listen.http2(),
                    plan.defaultServer().server().settings().timeouts().clientHeader(),
                    new ProxyRequestStage(plan, runtime), new TlsHandshakes(handshakeFailures));
            return new HttpConnectionInitializer(front(plan, socketTls.isPresent(), proxyRefusals), stages, sessions,
                    serials);
        }
    }

    /** One front per socket: its counters and its once-per-source memory belong to that listener. */
    private ListenerFront front(HttpListenerPlan plan, boolean ssl, RejectionLog proxyRefusals) {
        OncePerSourceLog diagnoses = new OncePerSourceLog(System.getLogger(DIAGNOSIS_LOGGER),
                OncePerSourceLog.Limits.DEFAULT, options.nanoClock());
        Optional<ListenerFront> expects = plan.listener().receive().map(settings -> new ListenerFront.ExpectsHeader(
                new ProxyReceiveStage(settings, new ProxyCounters(), proxyRefusals, diagnoses)));
        return expects.orElseGet(() -> new ListenerFront.RefusesHeader(ssl
                ? UnexpectedHeaderStage.forTls(new UnexpectedHeaderCounters(), diagnoses)
                : UnexpectedHeaderStage.forHttp(new BadRequestPage(ServerHeader.NAME, options.clock()),
                        new UnexpectedHeaderCounters(), diagnoses)));
    }

    private String label(HttpListenerPlan plan) {
        Listen listen = plan.listener().listen();
        return " http" + (tls.containsKey(listen.bindKey()) ? " ssl" : "") + (listen.http2() ? " http2" : "")
                + (listen.proxyProtocol() ? " proxy_protocol" : "");
    }
}
