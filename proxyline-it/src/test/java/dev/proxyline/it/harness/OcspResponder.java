package dev.proxyline.it.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An OCSP responder on a loopback port (the JDK's HTTP server, Bouncy Castle's OCSP): answers POST and nginx's GET
 * ({@code /PATH/BASE64}) with a response signed by {@code signer}, "revoked" for the serials {@link #revoke}d,
 * "unknown" for those marked {@link #unknown}, "good" for any other, valid for an hour. Counts the requests it answered and keeps how each came.
 */
public final class OcspResponder implements AutoCloseable {
    private final HttpServer server;
    private final TestPki.Issued signer;
    private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private final Set<BigInteger> unknown = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private OcspResponder(HttpServer server, TestPki.Issued signer) {
        this.server = server;
        this.signer = signer;
    }

    public static OcspResponder start(TestPki.Issued signer) throws IOException {
        return start(signer, Loopback.BACKEND);
    }

    /** A responder on a free port of {@code address}. */
    public static OcspResponder start(TestPki.Issued signer, InetAddress address) throws IOException {
        HttpServer server = HttpServer.create(Loopback.freePort(address), 8);
        OcspResponder responder = new OcspResponder(server, signer);
        server.createContext("/", responder::handle);
        server.start();
        return responder;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public String url() {
        return "http://" + Loopback.hostPort(server.getAddress()) + "/";
    }

    /** The response for {@code serial} of a certificate {@code issuer} signed, as it would be served now. */
    public byte[] response(X509Certificate issuer, BigInteger serial) throws Exception {
        return sign(new JcaCertificateID(
                new JcaDigestCalculatorProviderBuilder().build()
                        .get(CertificateID.HASH_SHA1), issuer, serial));
    }

    /** From now on, the certificate with {@code serial} is answered "revoked". */
    public void revoke(BigInteger serial) {
        revoked.add(serial);
    }

    /** From now on, the certificate with {@code serial} is answered "unknown". */
    public void unknown(BigInteger serial) {
        unknown.add(serial);
    }

    public int answered() {
        return answered.get();
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Each request so far as {@code METHOD TARGET PROTOCOL Host: HOST}, the target as sent (escapes kept). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + exchange.getProtocol() + " Host: " + exchange.getRequestHeaders().getFirst("Host"));
            byte[] body;
            if (exchange.getRequestMethod().equals("POST")) {
                body = exchange.getRequestBody().readAllBytes();
            } else {
                String path = exchange.getRequestURI().getRawPath();
                String encoded = path.substring(path.lastIndexOf('/') + 1);
                body = Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.US_ASCII));
            }
            Req[] requests = new OCSPReq(body).getRequestList();
            byte[] out = sign(requests[0].getCertID());
            exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
            answered.incrementAndGet();
        } catch (Exception e) {
            exchange.sendResponseHeaders(400, -1);
        }
    }

    private byte[] sign(CertificateID id) throws Exception {
        X509CertificateHolder signerHolder = new JcaX509CertificateHolder(signer.certificate());
        Instant now = Instant.now();
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(signerHolder.getSubject()));
        CertificateStatus status = revoked.contains(id.getSerialNumber())
                ? new RevokedStatus(Date.from(now.minus(Duration.ofHours(1))), 1)
                : unknown.contains(id.getSerialNumber()) ? new UnknownStatus() : CertificateStatus.GOOD;
        builder.addResponse(id, status, Date.from(now.minus(Duration.ofMinutes(1))),
                Date.from(now.plus(Duration.ofHours(1))));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.keys().getPrivate()),
                new X509CertificateHolder[] {signerHolder}, Date.from(now))).getEncoded();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
