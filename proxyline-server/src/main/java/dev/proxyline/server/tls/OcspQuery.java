package dev.proxyline.server.tls;

import dev.proxyline.server.runtime.dns.DnsLookups;
import dev.proxyline.server.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One question to an OCSP responder, as nginx asks it for stapling and for client certificates alike: the responder's
 * address (its literal address; else its name looked up with the server's {@code resolver}; else, with nginx's
 * warning, the addresses found at start, and without those it cannot be asked), then the GET ({@link OcspGetRequest})
 * to the first address, and the HTTP answer read ({@link OcspHttpAnswer}). Runs on one event loop; the future always
 * succeeds, with the DER body or what went wrong.
 */
final class OcspQuery {
    private OcspQuery() {
    }

    /** How a question ended. */
    sealed interface Result {
    }

    /** @param peer the address asked, as nginx's log shows it */
    record Body(byte[] der, String peer) implements Result {
        Body {
            Objects.requireNonNull(der, "der");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** @param peer the address asked; empty when it did not come to asking */
    record Failure(String problem, Optional<String> peer) implements Result {
        Failure {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /**
     * @param atStart  the addresses of the responder's name found at start; empty where nginx found none (a URL taken
     *                 from a client's certificate)
     * @param warnings told nginx's warning when the name is not looked up again for want of a resolver
     */
    static Future<Result> ask(EventLoop loop, Transport transport, OcspResponderUrl responder,
                              List<InetAddress> atStart, Optional<DnsLookups> resolver, byte[] ocspRequest,
                              Duration timeout, Consumer<String> warnings) {
        Promise<Result> result = loop.newPromise();
        address(loop, transport, responder, atStart, resolver, warnings).addListener((Future<InetAddress> found) -> {
            if (!found.isSuccess()) {
                result.setSuccess(new Failure(found.cause().getMessage(), Optional.empty()));
                return;
            }
            InetSocketAddress to = new InetSocketAddress(found.getNow(), responder.port());
            String peer = OcspResponderUrl.peer(to.getAddress(), to.getPort());
            OcspFetch.ask(loop, transport, to, OcspGetRequest.encode(responder, ocspRequest), timeout)
                    .addListener((Future<byte[]> done) -> {
                        if (!done.isSuccess()) {
                            result.setSuccess(new Failure(done.cause().getMessage(), Optional.of(peer)));
                            return;
                        }
                        OcspHttpAnswer.Read read = OcspHttpAnswer.read(done.getNow());
                        result.setSuccess(read instanceof OcspHttpAnswer.Body body ? new Body(body.der(), peer)
                                : new Failure(((OcspHttpAnswer.Problem) read).reason(), Optional.of(peer)));
                    });
        });
        return result;
    }

    private static Future<InetAddress> address(EventLoop loop, Transport transport, OcspResponderUrl responder,
                                               List<InetAddress> atStart, Optional<DnsLookups> resolver,
                                               Consumer<String> warnings) {
        if (responder.literal().isPresent()) return loop.newSucceededFuture(responder.literal().get());
        if (resolver.isEmpty()) {
            String problem = "no resolver defined to resolve " + responder.host();
            if (atStart.isEmpty()) return loop.newFailedFuture(new OcspFetch.Failed(problem));
            warnings.accept(problem);
            return loop.newSucceededFuture(atStart.get(0));
        }
        Promise<InetAddress> first = loop.newPromise();
        resolver.get().lookup(loop, transport.isNative(), responder.host()).addListener(
                (Future<List<InetAddress>> done) -> {
                    if (done.isSuccess()) {
                        first.setSuccess(done.getNow().get(0));
                    } else {
                        first.setFailure(done.cause());
                    }
                });
        return first;
    }
}
