package dev.proxyline.server.stream.preread;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** ClientHellos as the JDK's TLS clients send them, and the same hello cut into smaller records. */
public final class JdkClientHello {
    private JdkClientHello() {}

    /** The first flight of a JDK client for {@code serverName}: its ClientHello record(s). */
    public static byte[] of(String serverName, List<String> alpn, String... protocols) throws GeneralSecurityException,
            SSLException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        if (protocols.length > 0) parameters.setProtocols(protocols);
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The handshake bytes of a one-record hello, cut into handshake records of at most {@code size} bytes each. */
    public static byte[] resplit(byte[] record, int size) {
        byte[] handshake = Arrays.copyOfRange(record, 5, record.length);
        ByteBuffer out = ByteBuffer.allocate(handshake.length + 5 * (handshake.length / size + 1));
        for (int at = 0; at < handshake.length; at += size) {
            int n = Math.min(size, handshake.length - at);
            out.put(new byte[] {0x16, 0x03, 0x01, (byte) (n >> 8), (byte) n}).put(handshake, at, n);
        }
        return Arrays.copyOf(out.array(), out.position());
    }
}
