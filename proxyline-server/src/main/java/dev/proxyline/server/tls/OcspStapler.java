package dev.proxyline.server.tls;

import io.netty.util.concurrent.EventExecutor;
import java.lang.System.Logger.Level;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps one certificate's staple fresh from its OCSP responder. As in nginx, nothing is asked before the first
 * handshake: that one starts the fetches (and gets no staple), later ones get the response once it has passed
 * {@link OcspExchange}'s checks. The timers run on the event loop of that first handshake, so they end with the
 * server's loops; the request itself goes out through the JDK's asynchronous HTTP client, never blocking a loop.
 */
final class OcspStapler implements Staples.Source {
    private static final System.Logger LOG = System.getLogger(OcspStapler.class.getName());
    /** nginx's fixed timeout for a stapling request. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Far more than any OCSP response; a larger answer is not one. */
    private static final int MAX_RESPONSE = 64 * 1024;

    private final OcspExchange exchange;
    private final OcspResponderUrl responder;
    private final boolean verify;
    private final List<X509Certificate> trusted;
    private final String certificate;
    private final Clock clock;
    private final StapleCache cache;
    /** Made by the first fetch, on the loop all fetches run on: a server that never staples starts no thread. */
    private HttpClient client;
    private final AtomicBoolean started = new AtomicBoolean();

    OcspStapler(OcspExchange exchange, OcspResponderUrl responder, boolean verify, List<X509Certificate> trusted,
                String certificate, Clock clock) {
        this.exchange = exchange;
        this.responder = responder;
        this.verify = verify;
        this.trusted = List.copyOf(trusted);
        this.certificate = certificate;
        this.clock = clock;
        this.cache = new StapleCache(clock);
    }

    @Override
    public byte[] staple(EventExecutor loop) {
        if (!started.get() && started.compareAndSet(false, true)) run(loop);
        return cache.current();
    }

    private void run(EventExecutor loop) {
        cache.expire();
        if (!cache.refreshDue()) {
            schedule(loop);
            return;
        }
        if (client == null) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(TIMEOUT).build();
        }
        HttpRequest request = HttpRequest.newBuilder(responder.uri()).timeout(TIMEOUT)
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.request())).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            try {
                loop.execute(() -> answered(loop, response, failure));
            } catch (RejectedExecutionException e) {
                // the server stopped meanwhile: nobody is left to staple for
            }
        });
    }

    private void answered(EventExecutor loop, HttpResponse<byte[]> response, Throwable failure) {
        String problem = null;
        if (failure != null) {
            problem = "cannot ask the OCSP responder (" + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")";
        } else if (response.statusCode() != 200) {
            problem = "OCSP responder sent invalid \"" + response.statusCode() + "\" status";
        } else if (response.body().length > MAX_RESPONSE) {
            problem = "OCSP responder sent too long a response (" + response.body().length + " bytes)";
        } else {
            OcspExchange.Outcome outcome = exchange.check(response.body(), clock.instant(), verify, trusted);
            if (outcome instanceof OcspExchange.Staple staple) {
                cache.accepted(staple.der(), staple.nextUpdate());
            } else {
                problem = ((OcspExchange.Refused) outcome).reason();
            }
        }
        if (problem != null) {
            cache.failed();
            LOG.log(Level.WARNING, problem + " while requesting certificate status, responder: " + responder.host()
                    + ", peer: " + responder.uri().getAuthority() + ", certificate: \"" + certificate + "\"");
        }
        schedule(loop);
    }

    private void schedule(EventExecutor loop) {
        try {
            loop.schedule(() -> run(loop), cache.untilNextRun().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the server is stopping
        }
    }
}
